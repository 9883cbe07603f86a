using Grpc.Core;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Grpc;

/// <summary>Decides privileged calls from the peer's kernel credentials and Grpc:Authorization.</summary>
internal sealed class CallerAuthorizer(IOptionsMonitor<GrpcOptions> options, ILogger<CallerAuthorizer> logger)
{
    public static PeerCredentials? CallerOf(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<PeerCredentialsFeature>()?.Credentials;

    /// <summary>Provision and SetIndex.</summary>
    public PeerCredentials RequireChange(ServerCallContext context, string method)
    {
        CallerRule rule = options.CurrentValue.Authorization.Provision;
        return Require(context, method, rule.Allows);
    }

    /// <summary>GetKey of one label: its own rule, or the "*" rule.</summary>
    public PeerCredentials RequireKey(ServerCallContext context, string label)
    {
        Dictionary<string, CallerRule> keys = options.CurrentValue.Authorization.Keys;
        return Require(context, "GetKey", caller =>
            (keys.TryGetValue(label, out CallerRule? rule) && rule.Allows(caller))
            || (keys.TryGetValue(GrpcAuthorizationOptions.AnyLabel, out CallerRule? any) && any.Allows(caller)));
    }

    private PeerCredentials Require(ServerCallContext context, string method, Func<PeerCredentials, bool> allows)
    {
        if (CallerOf(context) is not { } caller)
        {
            GrpcLog.RefusedUnknownCaller(logger, method);
            throw GrpcErrors.PermissionDenied(method);
        }

        if (caller.Uid != 0 && !allows(caller))
        {
            GrpcLog.Refused(logger, method, caller.Uid, caller.Gid, caller.Pid);
            throw GrpcErrors.PermissionDenied(method);
        }

        return caller;
    }
}
