using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;

namespace Provisioning.BackOfficeSimulator;

/// <summary>The options of <see cref="SimulatorServer.StartAsync"/>: the settings plus what only code sets.</summary>
internal sealed class SimulatorOptions : SimulatorSettings
{
    /// <summary>Clock for issued/expires, the request log, HTTP-date Retry-After and injected delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Certificate (with private key) for https:// URLs; none means <see cref="SimulatorSettings.CertificatePath"/>.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Where the server logs; none means silent.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The certificate https:// endpoints serve, or null when none is configured.</summary>
    public X509Certificate2? ResolveServerCertificate() =>
        ServerCertificate ?? (CertificatePath is { Length: > 0 } path ? X509Certificate2.CreateFromPemFile(path, CertificateKeyPath) : null);

    /// <summary>Options from the "Simulator" section of <paramref name="configuration"/> (defaults for what it lacks).</summary>
    public static SimulatorOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SimulatorOptions();
        SimulatorSettings settings = options;
        configuration.GetSection(SectionName).Bind(settings);
        return options;
    }
}
