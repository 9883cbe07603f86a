using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Connections;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Connection middleware on the bridge's listener only: caps its connections and marks them, so that
/// /jsonrpc answers on this listener and nowhere else (the gRPC socket shares the endpoint table).
/// </summary>
internal sealed class JsonRpcConnectionGate(IOptions<JsonRpcOptions> options, ILogger<JsonRpcConnectionGate> logger)
{
    private static readonly object ListenerMark = new();

    private readonly ConnectionLimiter _limiter = new(options.Value.MaxConnections);

    public static bool IsOnListener(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ListenerMark) == true;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (!_limiter.TryEnter())
        {
            JsonRpcLog.ConnectionLimitReached(logger, connection.ConnectionId, _limiter.Max);
            connection.Abort();
            return;
        }

        try
        {
            connection.Items[ListenerMark] = ListenerMark;
            await next(connection);
        }
        finally
        {
            _limiter.Exit();
        }
    };
}
