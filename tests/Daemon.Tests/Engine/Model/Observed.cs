using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Tests.Engine.Model;

/// <summary>
/// Everything a caller can see of the engine, in one comparable value: the published state (sequence number, phase,
/// status, labels, chosen slots, attempts, next attempt, last error, issued, expires), the key each label reads, the
/// answers the calls got, and whether a subscriber saw every change with no gap.
/// </summary>
internal sealed record Observed(
    long Sequence,
    EnginePhase Phase,
    int Status,
    string Labels,
    string Indexes,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? Issued,
    DateTimeOffset? Expires,
    string Keys,
    string Results,
    bool Gapless)
{
    public static string Join(IEnumerable<string> items) => string.Join(' ', items);

    public static string JoinIndexes(IEnumerable<KeyValuePair<string, int>> indexes) => Join(indexes.Select(p => $"{p.Key}={p.Value}"));

    public static string Key(string label, EngineError error, int slot, ReadOnlySpan<byte> key) =>
        $"{label}:{error}:{slot}:{Convert.ToHexString(key)}";
}

/// <summary>What the back office does next with the run in flight (nothing when no run is in flight).</summary>
internal enum AnswerKind
{
    AttemptStarted,
    AttemptFailed,
    Accepted,
    Provisioned,
    Rejected,
    GaveUp,
}

internal sealed record BackOfficeAnswer(AnswerKind Kind, int Status, DocumentSpec Document)
{
    public string Reason => $"{Kind} {Status}";

    public override string ToString() => Kind == AnswerKind.Provisioned ? $"{Kind} ({Document})" : Reason;
}
