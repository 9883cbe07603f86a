namespace Provisioning.Daemon.Engine;

/// <summary>One provisioning run: its idempotency key, its cancellation and the callers waiting for its end.</summary>
internal sealed class RunContext(RunTrigger trigger) : IDisposable
{
    public RunTrigger Trigger { get; } = trigger;

    public Guid IdempotencyKey { get; } = Guid.NewGuid();

    public CancellationTokenSource Cancellation { get; } = new();

    public TaskCompletionSource<EngineState> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Execution { get; set; } = Task.CompletedTask;

    public void Dispose() => Cancellation.Dispose();
}
