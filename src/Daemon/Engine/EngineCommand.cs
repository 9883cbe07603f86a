using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Engine;

/// <summary>Everything that changes the engine's state goes through its loop as one of these.</summary>
internal abstract record EngineCommand
{
    internal sealed record Provision(RunTrigger Trigger, TaskCompletionSource<ProvisionStart> Reply) : EngineCommand;

    internal sealed record SetIndex(string? Label, int? Index, TaskCompletionSource<EngineError> Reply) : EngineCommand;

    internal sealed record Progress(RunContext Run, RunProgress Report) : EngineCommand;

    internal sealed record RunFinished(RunContext Run, RunOutcome Outcome) : EngineCommand;

    internal sealed record ScheduleDue(long Generation) : EngineCommand;

    internal sealed record Ping(TaskCompletionSource Reply) : EngineCommand;
}
