using Provisioning.BackOfficeSimulator;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>How a <see cref="TestDaemon"/> starts.</summary>
public sealed class TestDaemonOptions
{
    /// <summary>Extra configuration keys, applied last (null removes a key the fixture sets).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>False: no BackOffice:Url, so the engine is unavailable (ERROR_UNAVAILABLE).</summary>
    public bool WithSimulator { get; set; } = true;

    /// <summary>True: Boot:MaxDelay=0, the daemon provisions at start. False: no boot run during a test.</summary>
    public bool ProvisionAtBoot { get; set; } = true;

    /// <summary>Adjusts the simulator's options before it starts.</summary>
    internal Action<SimulatorOptions>? Simulator { get; set; }

    /// <summary>The clock of the daemon and the simulator; null means the system clock.</summary>
    public TimeProvider? Time { get; set; }

    /// <summary>Adjusts the daemon's services (e.g. capture logs) before the host is built.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }
}
