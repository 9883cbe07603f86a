namespace Provisioning.BackOfficeSimulator;

/// <summary>A provisioning accepted with 202: it answers 200 on the PollsRequired-th poll.</summary>
internal sealed class Operation(string id, string deviceId, IReadOnlyList<string>? labels, int pollsRequired, FaultSpec accepted)
{
    private int _polls;

    public string Id { get; } = id;

    public string DeviceId { get; } = deviceId;

    public IReadOnlyList<string>? Labels { get; } = labels;

    public int PollsRequired { get; } = pollsRequired;

    /// <summary>The fault that created it: its Retry-After goes on every 202 of the operation.</summary>
    public FaultSpec Accepted { get; } = accepted;

    /// <summary>Counts one poll; true when this poll completes the operation (and every later one).</summary>
    public bool CountPoll() => Interlocked.Increment(ref _polls) >= PollsRequired;
}
