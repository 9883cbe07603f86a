using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>GET /jsonrpc[/Provisioning] with Upgrade: websocket: one JSON object per text frame.</summary>
internal sealed class JsonRpcWebSocketHandler(
    JsonRpcDispatcher dispatcher,
    EventHub hub,
    BearerTokens tokens,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    IOptions<JsonRpcOptions> options,
    ILogger<JsonRpcWebSocketHandler> logger)
{
    private const int InitialBufferBytes = 4096;

    private static readonly string[] Subprotocols = ["notification", "json", "jsonrpc", "text"];

    private readonly JsonRpcOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, string? pathCallsign)
    {
        if (!tokens.IsAllowed(context, allowQuery: true))
        {
            JsonRpcLog.TokenRejected(logger, context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        IList<string> offered = context.WebSockets.WebSocketRequestedProtocols;
        string? chosen = offered.FirstOrDefault(p => Subprotocols.Contains(p, StringComparer.Ordinal));
        if (offered.Count != 0 && chosen is null)
        {
            // Deviation: Thunder echoes an unknown subprotocol back; refusing tells the caller at once.
            JsonRpcLog.SubprotocolRefused(logger);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = chosen });
        using var session = new WebSocketSession(socket, context.Connection.Id, _options, timeProvider, logger);
        JsonRpcLog.WebSocketOpened(logger, session.ConnectionId, chosen ?? "none");
        // A stopping daemon says so (1001) instead of just dropping the connection.
        using CancellationTokenRegistration onStopping = lifetime.ApplicationStopping.Register(
            static state => ((WebSocketSession)state!).Close(WebSocketCloseStatus.EndpointUnavailable, "provisioningd is stopping"),
            session);
        Task writer = session.RunWriterAsync(context.RequestAborted);
        try
        {
            await ReceiveAsync(socket, session, pathCallsign);
        }
        finally
        {
            hub.Detach(session);
            session.ClearRegistrations();
            session.Complete();
            await writer;
            JsonRpcLog.WebSocketClosed(logger, session.ConnectionId);
        }
    }

    private async Task ReceiveAsync(WebSocket socket, WebSocketSession session, string? pathCallsign)
    {
        int max = _options.MaxBodyBytes;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, max + 1));
        try
        {
            CancellationToken closing = session.Closing;
            int count = 0;

            // After the session decided to close, frames are read and dropped until the peer answers the
            // close frame: closing the TCP connection earlier could discard the close frame still in flight.
            bool draining = false;
            while (true)
            {
                if (!draining && count == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                // Never read more than one byte past the limit, so an oversized frame costs at most the limit.
                Memory<byte> target = draining ? buffer : buffer.AsMemory(count, Math.Min(buffer.Length, max + 1) - count);
                ValueWebSocketReceiveResult received = await socket.ReceiveAsync(target, closing);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (draining)
                {
                    continue;
                }

                count += received.Count;
                if (count > max)
                {
                    JsonRpcLog.FrameTooBig(logger, session.ConnectionId, max);
                    session.Close(WebSocketCloseStatus.MessageTooBig, "frame larger than JsonRpc:MaxBodyBytes");
                    draining = true;
                    continue;
                }

                if (!received.EndOfMessage)
                {
                    continue;
                }

                JsonRpcReply? reply = received.MessageType == WebSocketMessageType.Binary
                    ? ResponseWriter.Error(null, JsonRpcErrors.InvalidRequestBecause("Send requests as text frames; binary frames are not supported."))
                    : await dispatcher.DispatchAsync(buffer.AsMemory(0, count), pathCallsign, session, closing);
                count = 0;
                draining = reply is not null && !await session.EnqueueReplyAsync(reply.Body, closing);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or the session closed itself; the finally of the caller cleans up.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
