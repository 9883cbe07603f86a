using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Engine;

namespace Provisioning.Bench.Fleet;

/// <summary>One choice of the settings that decide how a fleet meets its back office.</summary>
/// <param name="Name">How the result table names it.</param>
/// <param name="BootWindow">Boot:MaxDelay.</param>
/// <param name="Jitter">BackOffice:Retry:Jitter.</param>
/// <param name="BaseDelay">BackOffice:Retry:BaseDelay.</param>
/// <param name="MaxDelay">BackOffice:Retry:MaxDelay.</param>
/// <param name="RunBudget">BackOffice:RunBudget.</param>
/// <param name="RerunDelay">Engine:RerunDelay.</param>
/// <param name="RetryAfter">BackOffice:Retry:RetryAfter.</param>
internal sealed record FleetStrategy(
    string Name,
    TimeSpan BootWindow,
    RetryJitter Jitter,
    TimeSpan BaseDelay,
    TimeSpan MaxDelay,
    TimeSpan RunBudget,
    TimeSpan RerunDelay,
    RetryAfterUse RetryAfter = RetryAfterUse.Floor)
{
    /// <summary>The defaults of the options classes: what a device gets with no configuration.</summary>
    public static FleetStrategy Defaults(string name = "defaults")
    {
        var backOffice = new BackOfficeOptions();
        return new FleetStrategy(
            name,
            new BootOptions().MaxDelay,
            backOffice.Retry.Jitter,
            backOffice.Retry.BaseDelay,
            backOffice.Retry.MaxDelay,
            backOffice.RunBudget,
            new EngineOptions().RerunDelay,
            backOffice.Retry.RetryAfter);
    }

    public BootOptions Boot() => new() { MaxDelay = BootWindow };

    public EngineOptions Engine() => new() { RerunDelay = RerunDelay };

    public BackOfficeOptions BackOffice(Uri url) => new()
    {
        Url = url,
        Model = "fleet-stb",
        Firmware = "1.0.0",
        RunBudget = RunBudget,
        Retry = new BackOfficeRetryOptions { BaseDelay = BaseDelay, MaxDelay = MaxDelay, Jitter = Jitter, RetryAfter = RetryAfter },
    };

    /// <summary>The settings in the words of docs/configuration.md.</summary>
    public string Describe() =>
        $"Boot:MaxDelay {BootWindow:c}, Retry {Jitter} {BaseDelay.TotalSeconds:0.#}s-{MaxDelay.TotalSeconds:0.#}s, Retry-After as {RetryAfter}, RunBudget {RunBudget:c}, RerunDelay {RerunDelay:c}";
}
