using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.BackOffice;

/// <summary>The "BackOffice" configuration section: where the back office is and how the daemon talks to it.</summary>
internal sealed class BackOfficeOptions
{
    public const string SectionName = "BackOffice";

    /// <summary>Base URL of the back office; none means ERROR_UNAVAILABLE.</summary>
    public Uri? Url { get; set; }

    /// <summary>The device model sent in the provision request.</summary>
    [Required(ErrorMessage = "must be set.")]
    [StringLength(64, MinimumLength = 1, ErrorMessage = "must be 1-64 characters.")]
    public string Model { get; set; } = "unknown";

    /// <summary>The firmware version sent in the provision request.</summary>
    [Required(ErrorMessage = "must be set.")]
    [StringLength(64, MinimumLength = 1, ErrorMessage = "must be 1-64 characters.")]
    public string Firmware { get; set; } = "unknown";

    /// <summary>The labels the device asks for; empty means whatever the back office assigns.</summary>
    public IList<string> Labels { get; } = [];

    /// <summary>A file holding the device's bearer token; read at the start of every run so it may rotate.</summary>
    public string? TokenFile { get; set; }

    /// <summary>The TLS client certificate: PEM (with the key inline or in ClientKeyFile), or PKCS#12 (.pfx/.p12).</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>The PEM private key of the client certificate, when it is not in ClientCertificateFile.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>A file holding the password of a PKCS#12 client certificate.</summary>
    public string? ClientCertificatePasswordFile { get; set; }

    /// <summary>PEM bundle of the CAs that may sign the back office's certificate; replaces the system store.</summary>
    public string? CaBundleFile { get; set; }

    /// <summary>Time allowed for one request, from connecting to the last byte of the answer.</summary>
    [TimeSpanRange("00:00:00.010", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Total time allowed for one run: all attempts, back-off and polls.</summary>
    [TimeSpanRange("00:00:00.010", "1.00:00:00")]
    public TimeSpan RunBudget { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long to wait before polling an accepted (202) request that named no Retry-After.</summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan DefaultPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest answer body the daemon reads; a larger one is a failed attempt.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    [ValidateObjectMembers]
    public BackOfficeRetryOptions Retry { get; set; } = new();

    [ValidateObjectMembers]
    public BackOfficeCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>True when a back-office URL is set (an empty value counts as none).</summary>
    public bool HasUrl => Url is { OriginalString.Length: > 0 };
}
