using System.Threading.Channels;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

/// <summary>
/// The provisioning state machine: the command loop and the only owner of mutable provisioning state. Every
/// change goes through one loop (a channel of <see cref="EngineCommand"/>), so transitions happen in one place
/// and in order; <see cref="StateBroadcaster"/> hands readers immutable snapshots, <see cref="RunPlanner"/>
/// says when to run by itself, and the back office sits behind <see cref="IBackOfficeClient"/>. Time comes
/// from the injected TimeProvider only.
/// </summary>
internal sealed partial class ProvisioningEngine : BackgroundService
{
    private readonly Func<EngineParts> _resolveParts;
    private readonly StateStore _store;
    private readonly DeviceIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ILogger<ProvisioningEngine> _logger;
    private readonly StateBroadcaster _broadcaster;
    private readonly Channel<EngineCommand> _commands =
        Channel.CreateUnbounded<EngineCommand>(new UnboundedChannelOptions { SingleReader = true });

    private volatile StoredState _stored = StoredState.Empty;
    private EngineParts? _parts;
    private string? _provisionId;
    private string? _unavailableReason;
    private bool _storeUsable;
    private RunContext? _run;
    private bool _stopping;

    /// <param name="resolveParts">
    /// The back-office client and the run planner, resolved at start rather than here: hosted services are
    /// built before options are validated, and both read their options when they are created, so resolved at
    /// start every bad setting of every section is reported together.
    /// </param>
    /// <param name="store">The state store.</param>
    /// <param name="identity">The device's identity.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The engine's logger.</param>
    public ProvisioningEngine(
        Func<EngineParts> resolveParts,
        StateStore store,
        DeviceIdentity identity,
        TimeProvider timeProvider,
        ILogger<ProvisioningEngine> logger)
    {
        _resolveParts = resolveParts;
        _store = store;
        _identity = identity;
        _time = timeProvider;
        _logger = logger;
        _broadcaster = new StateBroadcaster(logger);
    }

    /// <summary>The latest published state; cheap to read from any thread.</summary>
    public EngineState Current => _broadcaster.Current;

    /// <summary>Subscribes to the state stream: the current state first, then every change in order.</summary>
    public StateSubscription Subscribe(int capacity = 1024) => _broadcaster.Subscribe(capacity);

    /// <summary>Triggers a run (single-flight). Refused with InProgress during a run, Unavailable without a back office.</summary>
    public async Task<ProvisionStart> ProvisionAsync(CancellationToken cancellationToken = default)
    {
        var reply = new TaskCompletionSource<ProvisionStart>(TaskCreationOptions.RunContinuationsAsynchronously);
        return Post(new EngineCommand.Provision(RunTrigger.Caller, reply))
            ? await reply.Task.WaitAsync(cancellationToken)
            : new ProvisionStart(EngineError.Unavailable, null);
    }

    /// <summary>Chooses the key slot of a label (all labels when null); index null means slot 0. Persisted.</summary>
    public async Task<EngineError> SetIndexAsync(string? label, int? index, CancellationToken cancellationToken = default)
    {
        var reply = new TaskCompletionSource<EngineError>(TaskCreationOptions.RunContinuationsAsynchronously);
        return Post(new EngineCommand.SetIndex(label, index, reply))
            ? await reply.Task.WaitAsync(cancellationToken)
            : EngineError.Unavailable;
    }

    /// <summary>The key of the label's chosen slot. The caller must have checked that its caller may read it.</summary>
    public KeyLookup GetKey(string label)
    {
        StoredState stored = _stored;
        if (stored.Provisioning is null)
        {
            return new KeyLookup(EngineError.NotProvisioned, label, 0, default);
        }

        if (stored.Provisioning.Find(label) is not { } keys)
        {
            return new KeyLookup(EngineError.UnknownLabel, label, 0, default);
        }

        int slot = stored.Indexes.GetValueOrDefault(label, 0);
        return new KeyLookup(EngineError.None, label, slot, keys.Keys[slot]);
    }

    /// <summary>Completes when the engine's loop has processed everything queued before it: proof the loop is alive.</summary>
    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Post(new EngineCommand.Ping(reply))
            ? reply.Task.WaitAsync(cancellationToken)
            : Task.FromException(new InvalidOperationException("The engine is stopped."));
    }

    /// <summary>Restores the stored state before the loop and the listeners start: once started, the state is there.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Restore();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Let the run end and its state write finish before the loop stops: nothing is half-written.
        _stopping = true;
        RunContext? run = _run;
        if (run is not null)
        {
            await run.Cancellation.CancelAsync();
            await run.Execution.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _commands.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        DisposeSchedule();
        _broadcaster.Complete();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The loop drains the channel until StopAsync completes it, so queued work is never dropped.
        await foreach (EngineCommand command in _commands.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                Handle(command);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                EngineLog.CommandFailed(_logger, exception, command.GetType().Name);
            }
        }
    }

    private bool Post(EngineCommand command) => _commands.Writer.TryWrite(command);

    private EngineState Publish(Func<EngineState, EngineState> change, StateChange reason) => _broadcaster.Publish(change, reason);

    private void Handle(EngineCommand command)
    {
        switch (command)
        {
            case EngineCommand.Provision provision:
                provision.Reply.TrySetResult(TryStartRun(provision.Trigger));
                break;
            case EngineCommand.SetIndex setIndex:
                setIndex.Reply.TrySetResult(ApplyIndex(setIndex.Label, setIndex.Index));
                break;
            case EngineCommand.Progress progress:
                OnProgress(progress.Run, progress.Report);
                break;
            case EngineCommand.RunFinished finished:
                OnRunFinished(finished.Run, finished.Outcome);
                break;
            case EngineCommand.ScheduleDue due:
                OnScheduleDue(due.Generation);
                break;
            case EngineCommand.Ping ping:
                ping.Reply.TrySetResult();
                break;
        }
    }
}
