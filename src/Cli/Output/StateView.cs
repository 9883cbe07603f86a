using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Output;

/// <summary>The JSON shape of a state in provisioningctl's --json output.</summary>
internal sealed record StateView(
    long Sequence,
    string Change,
    string Id,
    int Status,
    IReadOnlyList<string> Tokens,
    string Phase,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastError,
    DateTimeOffset? Issued,
    DateTimeOffset? Expires,
    IReadOnlyDictionary<string, int> Indexes,
    bool ProvisioningChange)
{
    public static StateView From(State state) => new(
        state.Sequence,
        Names.Of(state.Change),
        state.Id,
        state.Status,
        [.. state.Tokens],
        Names.Of(state.Phase),
        state.Attempts,
        state.NextAttemptAt?.ToDateTimeOffset(),
        state.LastError.Length == 0 ? null : state.LastError,
        state.Issued?.ToDateTimeOffset(),
        state.Expires?.ToDateTimeOffset(),
        new SortedDictionary<string, int>(state.Indexes, StringComparer.Ordinal),
        state.ProvisioningChange);
}
