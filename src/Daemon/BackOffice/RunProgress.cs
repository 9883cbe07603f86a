namespace Provisioning.Daemon.BackOffice;

/// <summary>What happened inside a run, reported to the engine as it happens.</summary>
/// <param name="Kind">An attempt started, an attempt failed transiently, or the back office accepted the request (202).</param>
/// <param name="Attempt">1 for the first request of the run; polls of a 202 do not count as attempts.</param>
/// <param name="Status">The HTTP status of the answer; 0 when there was none (refused, reset, timeout).</param>
/// <param name="Reason">Why, in words; never secret.</param>
/// <param name="NextAttemptAt">When the next request (retry or poll) will be sent; for AttemptStarted, now.</param>
internal sealed record RunProgress(RunProgressKind Kind, int Attempt, int Status, string Reason, DateTimeOffset NextAttemptAt);

internal enum RunProgressKind
{
    AttemptStarted,
    AttemptFailed,
    Accepted,
}
