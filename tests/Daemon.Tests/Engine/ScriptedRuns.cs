using System.Collections.Concurrent;
using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Tests.Engine;

/// <summary>
/// The engine's seam to the back office, played by the test: each run waits until the test ends it with an
/// outcome (after any progress it reports), so a test decides exactly when and how every run ends.
/// </summary>
internal sealed class ScriptedRuns : IBackOfficeClient
{
    private readonly ConcurrentQueue<PendingRun> _started = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task<RunOutcome> RunAsync(ProvisionRequest request, Action<RunProgress> onProgress, CancellationToken cancellationToken)
    {
        var run = new PendingRun(request, onProgress, cancellationToken);
        Interlocked.Increment(ref _count);
        _started.Enqueue(run);
        _arrived.Release();
        return run.Outcome;
    }

    /// <summary>The next run the engine starts (waits for it).</summary>
    public async Task<PendingRun> NextAsync()
    {
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(30)), "the engine started no run");
        Assert.True(_started.TryDequeue(out PendingRun? run));
        return run;
    }

    /// <summary>True when a run was started that the test has not taken yet.</summary>
    public bool HasStarted => !_started.IsEmpty;

    /// <summary>A run the engine is waiting for.</summary>
    internal sealed class PendingRun(ProvisionRequest request, Action<RunProgress> onProgress, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<RunOutcome> _outcome = NewOutcome(cancellationToken);

        public ProvisionRequest Request { get; } = request;

        public Task<RunOutcome> Outcome => _outcome.Task;

        public void Report(RunProgress progress) => onProgress(progress);

        public void End(RunOutcome outcome) => _outcome.TrySetResult(outcome);

        private static TaskCompletionSource<RunOutcome> NewOutcome(CancellationToken cancellationToken)
        {
            var outcome = new TaskCompletionSource<RunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            cancellationToken.Register(() => outcome.TrySetResult(new RunOutcome.GaveUp(0, "the run was cancelled")));
            return outcome;
        }
    }
}
