using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

/// <summary>
/// The provisioning state machine and the only owner of mutable provisioning state. Every change goes
/// through one loop (a channel of <see cref="EngineCommand"/>), so transitions happen in one place and in
/// order; readers get immutable snapshots. Time comes from the injected TimeProvider only.
/// </summary>
internal sealed partial class ProvisioningEngine : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly StateStore _store;
    private readonly DeviceIdentity _identity;
    private readonly IOptions<EngineOptions> _options;
    private readonly IOptions<BootOptions> _bootOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<ProvisioningEngine> _logger;
    private readonly Channel<EngineCommand> _commands =
        Channel.CreateUnbounded<EngineCommand>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile EngineState _current = InitialState();
    private volatile StoredState _stored = StoredState.Empty;
    private BackOfficeClient? _client;
    private string? _provisionId;
    private string? _unavailableReason;
    private bool _storeUsable;
    private RunContext? _run;
    private bool _stopping;

    public ProvisioningEngine(
        IServiceProvider services,
        StateStore store,
        DeviceIdentity identity,
        IOptions<EngineOptions> options,
        IOptions<BootOptions> bootOptions,
        TimeProvider timeProvider,
        ILogger<ProvisioningEngine> logger)
    {
        _services = services;
        _store = store;
        _identity = identity;
        // Read lazily: options are validated at start, after hosted services are constructed.
        _options = options;
        _bootOptions = bootOptions;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>The latest published state; cheap to read from any thread.</summary>
    public EngineState Current => _current;

    /// <summary>Completes when the stored state is restored and the engine answers requests.</summary>
    public Task Ready => _ready.Task;

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

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Restore();
        await base.StartAsync(cancellationToken);
        _ready.TrySetResult();
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
        CompleteSubscribers();
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

    private static EngineState InitialState() => new()
    {
        Sequence = 0,
        Change = StateChange.Current,
        Id = string.Empty,
        Status = 0,
        Tokens = [],
        Phase = EnginePhase.Starting,
        Indexes = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
    };
}
