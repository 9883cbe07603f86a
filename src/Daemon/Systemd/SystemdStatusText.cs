using System.Globalization;
using Provisioning.Daemon.Common.Logging;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Systemd;

/// <summary>The engine's phase in words for `systemctl status` (STATUS=): one line, short, never secret.</summary>
internal static class SystemdStatusText
{
    private const int MaxLength = 200;

    public static string Describe(EngineState state, DateTimeOffset now)
    {
        string held = state.IsProvisioned
            ? string.Create(CultureInfo.InvariantCulture, $"provisioned, {state.Labels.Length} {(state.Labels.Length == 1 ? "label" : "labels")}")
            : "not provisioned";
        string text = state.Phase switch
        {
            EnginePhase.Starting => "starting: restoring the stored state",
            EnginePhase.Unavailable => "unavailable: " + (state.LastError ?? "no usable back-office client"),
            EnginePhase.BootDelay => $"{held}; waiting for boot delay, first run in {Seconds(state.NextAttemptAt, now)} s",
            EnginePhase.Running => string.Create(CultureInfo.InvariantCulture, $"{held}; provisioning, attempt {Math.Max(state.Attempts, 1)}"),
            EnginePhase.Polling => $"{held}; provisioning, the back office accepted the request, polling in {Seconds(state.NextAttemptAt, now)} s",
            EnginePhase.RetryWait => $"{held}; retrying in {Seconds(state.NextAttemptAt, now)} s after {Cause(state)}",
            _ => Idle(state, held),
        };
        return Clean(text);
    }

    private static string Idle(EngineState state, string held) => state.LastError is { Length: > 0 } error
        ? $"{held}; last run failed: {error}"
        : held;

    /// <summary>The HTTP status when the failure was an answer; the reason in words when there was none (network, timeout).</summary>
    private static string Cause(EngineState state) => state.Status is >= 300
        ? state.Status.ToString(CultureInfo.InvariantCulture)
        : state.LastError ?? "a failure";

    private static string Seconds(DateTimeOffset? at, DateTimeOffset now)
    {
        double seconds = at is { } due ? Math.Ceiling((due - now).TotalSeconds) : 0;
        return Math.Max(seconds, 0).ToString("0", CultureInfo.InvariantCulture);
    }

    /// <summary>The notify protocol is newline-separated: a line break inside a reason would start a bogus assignment.</summary>
    private static string Clean(string text) => LogText.Printable(text, ' ', MaxLength);
}
