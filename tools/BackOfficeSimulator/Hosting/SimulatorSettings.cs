using Microsoft.AspNetCore.Server.Kestrel.Https;
using System.ComponentModel.DataAnnotations;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// The "Simulator" configuration section: every option of the simulator that configuration can
/// hold. <see cref="SimulatorOptions"/> adds what only code can set; binding targets this base type
/// so the configuration binder generator never sees those.
/// </summary>
internal class SimulatorSettings
{
    public const string SectionName = "Simulator";

    /// <summary>The labels a device gets when none are given: the labels of the protocol's example.</summary>
    public static readonly IReadOnlyList<string> StandardLabels = ["netflix", "playready", "cobalt"];

    /// <summary>Where to listen; port 0 picks a free port. Several URLs may be separated by ';'.</summary>
    [Required]
    public string Url { get; set; } = "http://127.0.0.1:0";

    /// <summary>When true, any well-formed provision ID becomes a device with the default labels.</summary>
    public bool AutoEnroll { get; set; } = true;

    /// <summary>
    /// Labels of an auto-enrolled device, or of a device added without labels; null means
    /// <see cref="StandardLabels"/>. (Null rather than a pre-filled list: configuration binding
    /// appends to a list instead of replacing it.)
    /// </summary>
    public IList<string>? DefaultLabels { get; set; }

    /// <summary>Keys generated per label; null means 1 for the first label and 2 for the others, as in the protocol's example.</summary>
    [Range(1, 16)]
    public int? KeysPerLabel { get; set; }

    /// <summary>Size in bytes of each generated key.</summary>
    [Range(1, 64 * 1024)]
    public int KeySize { get; set; } = 32;

    /// <summary>expires = issued + Lifetime; null or zero (configuration: "0") means no expires.</summary>
    public TimeSpan? Lifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>When set, every /v1 request needs "Authorization: Bearer &lt;DeviceToken&gt;", else 401.</summary>
    public string? DeviceToken { get; set; }

    /// <summary>Devices known at start (useful with AutoEnroll off).</summary>
    public IList<DeviceSeed> Devices { get; set; } = [];

    /// <summary>The initial fault plan, consumed in order.</summary>
    public IList<FaultSpec> Faults { get; set; } = [];

    /// <summary>PEM certificate for https:// URLs (standalone use; in code, <see cref="SimulatorOptions.ServerCertificate"/> wins).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/>; none means the key is in the same file.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>
    /// Whether https:// endpoints ask for a TLS client certificate (mutual TLS). Any certificate is
    /// accepted; its SHA-256 thumbprint is recorded in the request log for tests to check.
    /// </summary>
    public ClientCertificateMode ClientCertificates { get; set; } = ClientCertificateMode.NoCertificate;

    /// <summary>Most devices the registry holds; auto-enrolment beyond it answers 503.</summary>
    [Range(1, 10_000_000)]
    public int MaxDevices { get; set; } = 100_000;

    /// <summary>Most requests the log keeps; the oldest are dropped first.</summary>
    [Range(1, 10_000_000)]
    public int RequestLogCapacity { get; set; } = 10_000;

    /// <summary>The labels devices get when none are given.</summary>
    public IReadOnlyList<string> EffectiveDefaultLabels() =>
        DefaultLabels is { Count: > 0 } labels ? [.. labels] : StandardLabels;

    /// <summary>How many keys the label at <paramref name="index"/> of a generated device gets.</summary>
    public int KeyCountFor(int index) => KeysPerLabel ?? (index == 0 ? 1 : 2);
}
