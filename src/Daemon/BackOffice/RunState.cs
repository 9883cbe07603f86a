using Polly;

namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// What one run knows between its attempts. It travels in the Polly context, because the pipeline (and
/// its circuit breaker) is shared by every run of the client. A run's attempts are sequential.
/// </summary>
internal sealed class RunState(ProvisionRequest request, string? deviceToken, byte[] body, Action<RunProgress> onProgress)
{
    public static readonly ResiliencePropertyKey<RunState> Key = new("provisioningd.backoffice.run");

    public ProvisionRequest Request => request;

    /// <summary>The device token of BackOffice:TokenFile, sent as a bearer token; a secret.</summary>
    public string? DeviceToken => deviceToken;

    public byte[] Body => body;

    public Action<RunProgress> OnProgress => onProgress;

    /// <summary>Provision requests sent (or refused by the open circuit) so far; polls do not count.</summary>
    public int Attempt { get; set; }

    /// <summary>Set by a 202: from then on the run polls this operation instead of posting.</summary>
    public string? Operation { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>The back-off drawn after the latest failure (zero after a success); decorrelated jitter grows from it.</summary>
    public TimeSpan LastBackoff { get; set; }

    /// <summary>The status of the latest transient answer, 0 while no answer has been received.</summary>
    public int LastTransientStatus { get; set; }

    /// <summary>The answer of the current attempt; null when it ended without one.</summary>
    public Answer? Answer { get; set; }

    /// <summary>How the latest attempt that did not succeed ended, in words; after a 202, that the operation was still running.</summary>
    public string LastFailure { get; set; } = "no attempt was made";

    /// <summary>The progress to report before the next wait, and the wait.</summary>
    public RunProgressKind PendingKind { get; set; }

    public int PendingStatus { get; set; }

    public TimeSpan NextDelay { get; set; }

    public static RunState From(ResilienceContext context) =>
        context.Properties.TryGetValue(Key, out RunState? run) ? run : throw new InvalidOperationException("The context carries no run.");
}
