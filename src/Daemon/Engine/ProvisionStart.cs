namespace Provisioning.Daemon.Engine;

/// <summary>The answer to a provision trigger: accepted with the run's completion, or refused.</summary>
/// <param name="Error"><see cref="EngineError.None"/> when the run was accepted.</param>
/// <param name="Completion">Completes with the state published at the end of the run; null when refused.</param>
internal sealed record ProvisionStart(EngineError Error, Task<EngineState>? Completion)
{
    public bool Accepted => Error == EngineError.None;
}
