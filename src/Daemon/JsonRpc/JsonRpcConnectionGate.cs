using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Connection middleware on the bridge's listener only: caps its connections and marks them, so that
/// /jsonrpc answers on this listener and nowhere else (the gRPC socket shares the endpoint table).
/// </summary>
internal sealed class JsonRpcConnectionGate(IOptions<JsonRpcOptions> options, ILogger<JsonRpcConnectionGate> logger)
{
    private static readonly object ListenerMark = new();

    private readonly int _max = options.Value.MaxConnections;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public static bool IsOnListener(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ListenerMark) == true;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _count) > _max)
        {
            Interlocked.Decrement(ref _count);
            JsonRpcLog.ConnectionLimitReached(logger, connection.ConnectionId, _max);
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
            Interlocked.Decrement(ref _count);
        }
    };
}
