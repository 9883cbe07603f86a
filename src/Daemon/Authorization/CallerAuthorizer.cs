using System.Globalization;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The one authorizer of both APIs: decides an operation for a caller from the Authorization policy, read once at
/// start, and logs a refusal once (at most LogThrottle.Burst a minute; uid, gid, pid where known, method, transport; never a token or key).
/// </summary>
internal sealed class CallerAuthorizer(IOptions<AuthorizationOptions> options, ILogger<CallerAuthorizer> logger)
{
    private const int MaxLoggedLength = 128;

    private readonly AuthorizationOptions _policy = options.Value;
    private readonly LogThrottle _refusalLog = new(5100);

    /// <param name="method">The method as the transport names it, for the log.</param>
    /// <param name="label">The label of a <see cref="Operation.Key"/>.</param>
    public bool Allows(Caller caller, Operation operation, string method, string? label = null) =>
        Allows(() => caller, operation, method, label);

    /// <summary>As <see cref="Allows(Caller, Operation, string, string?)"/>; the caller is identified only when the rule is not open to everyone.</summary>
    public bool Allows(Func<Caller> identify, Operation operation, string method, string? label = null)
    {
        if (IsOpenToEveryone(operation, label))
        {
            return true;
        }

        Caller caller = identify();
        if (Decide(caller, operation, label))
        {
            return true;
        }

        if (!_refusalLog.Admit(logger))
        {
            return false;
        }

        AuthorizationLog.Refused(
            logger,
            Printable(method),
            caller.Transport,
            Known(caller.Uid),
            Known(caller.Gid),
            caller.Pid is { } pid ? pid.ToString(CultureInfo.InvariantCulture) : "unknown",
            operation == Operation.Key ? "Keys:" + Printable(label ?? string.Empty) : operation.ToString());
        return false;
    }

    /// <summary>The policy's answer, without logging.</summary>
    public bool Decide(Caller caller, Operation operation, string? label = null) => operation switch
    {
        Operation.Read => _policy.Read.Allows(caller),
        Operation.Provision => _policy.Provision.Allows(caller),
        Operation.Controller => _policy.Controller.Allows(caller),
        Operation.Key => AllowsKey(caller, label),
        _ => false,
    };

    private bool IsOpenToEveryone(Operation operation, string? label) => operation switch
    {
        Operation.Read => _policy.Read.Everyone,
        Operation.Provision => _policy.Provision.Everyone,
        Operation.Controller => _policy.Controller.Everyone,
        Operation.Key => (label is not null && _policy.Keys.TryGetValue(label, out CallerRule? rule) && rule.Everyone)
            || (_policy.Keys.TryGetValue(AuthorizationOptions.AnyLabel, out CallerRule? any) && any.Everyone),
        _ => false,
    };

    private bool AllowsKey(Caller caller, string? label)
    {
        Dictionary<string, CallerRule> keys = _policy.Keys;
        return caller.Uid == 0
            || (label is not null && keys.TryGetValue(label, out CallerRule? rule) && rule.Allows(caller))
            || (keys.TryGetValue(AuthorizationOptions.AnyLabel, out CallerRule? any) && any.Allows(caller));
    }

    /// <summary>What the caller named (its method, a key's label) as a log can carry it: bounded, one line (no forged log lines).</summary>
    private static string Printable(string named) =>
        LogText.Printable(named, '?', MaxLoggedLength) + (named.Length > MaxLoggedLength ? "..." : string.Empty);

    private static string Known(uint? id) => id is { } value ? value.ToString(CultureInfo.InvariantCulture) : "unknown";
}
