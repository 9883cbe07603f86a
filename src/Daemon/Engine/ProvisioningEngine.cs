namespace Provisioning.Daemon.Engine;

/// <summary>
/// The provisioning state machine. PLACEHOLDER surface: the engine is being written; transports
/// program against these members.
/// </summary>
internal sealed partial class ProvisioningEngine
{
    private readonly EngineError _placeholder = EngineError.Unavailable;

    /// <summary>The latest published state; cheap to read from any thread.</summary>
    public EngineState Current { get; private set; } = null!;

    /// <summary>Completes when the stored state is restored and the engine answers requests.</summary>
    public Task Ready => _placeholder == EngineError.None ? Task.CompletedTask : Task.CompletedTask;

    /// <summary>Triggers a run (single-flight). Refused with InProgress during a run, Unavailable without a back office.</summary>
    public Task<ProvisionStart> ProvisionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProvisionStart(_placeholder, null));

    /// <summary>Chooses the key slot of a label (all labels when null); index null means slot 0. Persisted.</summary>
    public Task<EngineError> SetIndexAsync(string? label, int? index, CancellationToken cancellationToken = default) =>
        Task.FromResult(_placeholder);

    /// <summary>The key of the label's chosen slot. The caller must have checked that its caller may read it.</summary>
    public KeyLookup GetKey(string label) => new(_placeholder, label, 0, default);

    /// <summary>Subscribes to the state stream: the current state first, then every change in order.</summary>
    public StateSubscription Subscribe(int capacity = 1024) =>
        new(System.Threading.Channels.Channel.CreateBounded<EngineState>(capacity), _ => GC.KeepAlive(_placeholder));
}
