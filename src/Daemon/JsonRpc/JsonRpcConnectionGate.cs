using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Common.Limits;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Connection middleware on the bridge's listeners only: caps their connections, gives each connection its caller
/// (<see cref="ConnectionCaller"/>: identified at most once, kept for the connection's life), and marks them, so that /jsonrpc
/// answers on these listeners and nowhere else (the gRPC socket shares the endpoint table).
/// </summary>
internal sealed class JsonRpcConnectionGate(
    IOptions<JsonRpcOptions> options, ILogger<JsonRpcConnectionGate> logger, ILogger<ConnectionCaller> callerLogger)
{
    private static readonly object ListenerMark = new();

    private readonly SharedLimit _connections = new(options.Value.MaxConnections);
    private readonly LogThrottle _refusalLog = new(3002);

    public static bool IsOnListener(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ListenerMark) == true;

    /// <summary>The caller of a request on the bridge's listeners, without a token yet; unknown off them.</summary>
    public static Caller CallerOf(HttpContext context) =>
        context.Features.Get<ConnectionCaller>()?.Caller ?? Caller.Unknown(CallerTransport.JsonRpcTcp);

    public ConnectionDelegate Wrap(ConnectionDelegate next, CallerTransport transport) => async connection =>
    {
        // The bridge knows a caller's uid only once it asks (a TCP caller's costs a lookup): no per-uid share here.
        if (_connections.TryEnter(uid: null) != LimitAdmission.Entered)
        {
            if (_refusalLog.Admit(logger))
            {
                JsonRpcLog.ConnectionLimitReached(logger, connection.ConnectionId, _connections.Max);
            }

            connection.Abort();
            return;
        }

        using (_connections.HoldUntilClosed(uid: null, connection.ConnectionClosed))
        {
            connection.Items[ListenerMark] = ListenerMark;
            connection.Features.Set(new ConnectionCaller(
                connection.Features.Get<IConnectionSocketFeature>()?.Socket,
                connection.LocalEndPoint,
                connection.RemoteEndPoint,
                transport,
                callerLogger));
            await next(connection);
        }
    };
}
