using System.Globalization;
using System.Text;
using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Output;

/// <summary>The human-readable rendering of a state.</summary>
internal static class StateText
{
    public static string Render(State state)
    {
        var text = new StringBuilder();
        Line(text, "id", state.Id.Length == 0 ? "(unknown)" : state.Id);
        Line(text, "status", state.Status.ToString(CultureInfo.InvariantCulture));
        Line(text, "tokens", state.Tokens.Count == 0 ? "(not provisioned)" : string.Join(", ", state.Tokens));
        Line(text, "phase", Names.Of(state.Phase));
        Line(text, "attempts", state.Attempts.ToString(CultureInfo.InvariantCulture));
        Line(text, "next attempt", Time(state.NextAttemptAt));
        Line(text, "last error", state.LastError.Length == 0 ? "-" : state.LastError);
        Line(text, "issued", Time(state.Issued));
        Line(text, "expires", Time(state.Expires));
        Line(text, "indexes", state.Indexes.Count == 0
            ? "-"
            : string.Join(", ", state.Indexes.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => $"{i.Key}={i.Value}")));
        Line(text, "sequence", state.Sequence.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>One line per change for `watch`.</summary>
    public static string RenderChange(State state)
    {
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"#{state.Sequence} {Names.Of(state.Change)}: phase={Names.Of(state.Phase)} status={state.Status} tokens=[{string.Join(",", state.Tokens)}] attempts={state.Attempts}");
        return state.LastError.Length == 0 ? line : line + " error=\"" + state.LastError + "\"";
    }

    private static void Line(StringBuilder text, string name, string value) =>
        text.Append((name + ":").PadRight(14)).Append(value).Append('\n');

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp is null ? "-" : timestamp.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture);
}
