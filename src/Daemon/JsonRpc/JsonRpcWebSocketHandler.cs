using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>GET /jsonrpc[/Provisioning] with Upgrade: websocket: one JSON object per text frame, masked or not.</summary>
internal sealed class JsonRpcWebSocketHandler(
    JsonRpcDispatcher dispatcher,
    EventHub hub,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    IOptions<JsonRpcOptions> options,
    ILogger<JsonRpcWebSocketHandler> logger)
{
    private const int InitialBufferBytes = 4096;

    private readonly JsonRpcOptions _options = options.Value;
    private readonly LogThrottle _tooLargeLog = new(3006);
    private readonly LogThrottle _overflowLog = new(3005);

    /// <summary>Answers the upgrade itself (see <see cref="WebSocketHandshake"/>) and serves the socket until it closes.</summary>
    /// <param name="validToken">The upgrade passed the token check (JsonRpcHttpHandler) with a valid token.</param>
    public async Task HandleAsync(HttpContext context, string? pathCallsign, bool validToken)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;

        if (!WebSocketHandshake.OffersSupportedVersion(request))
        {
            // RFC 6455 4.4: name the version this server speaks.
            JsonRpcLog.UpgradeRefused(logger, "Sec-WebSocket-Version is not 13");
            response.StatusCode = StatusCodes.Status426UpgradeRequired;
            response.Headers.SecWebSocketVersion = WebSocketHandshake.SupportedVersion;
            return;
        }

        IHttpUpgradeFeature? upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (!WebSocketHandshake.TryGetKey(request, out string? key) || upgrade is not { IsUpgradableRequest: true })
        {
            JsonRpcLog.UpgradeRefused(logger, "no valid Sec-WebSocket-Key, or a request body on the upgrade");
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        string? chosen = WebSocketHandshake.ChooseSubprotocol(request, out bool offeredAny);
        if (offeredAny && chosen is null)
        {
            // Deviation: Thunder echoes an unknown subprotocol back; refusing tells the caller at once.
            JsonRpcLog.SubprotocolRefused(logger);
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        response.Headers.Upgrade = "websocket";
        response.Headers.SecWebSocketAccept = WebSocketHandshake.AcceptFor(key);
        if (chosen is not null)
        {
            response.Headers.SecWebSocketProtocol = chosen;
        }

        // The server closes the transport when this request ends; the frame stream never does.
        Stream transport = await upgrade.UpgradeAsync();
        var frames = new ClientFrameStream(transport) { MaxDataPayload = _options.MaxBodyBytes };
        using WebSocket socket = WebSocket.CreateFromStream(
            frames,
            new WebSocketCreationOptions { IsServer = true, SubProtocol = chosen, KeepAliveInterval = TimeSpan.Zero });
        using var session = new WebSocketSession(socket, context.Connection.Id, _options, timeProvider, context.Abort, logger, _overflowLog);
        frames.DataFrameTooLarge = () => RefuseTooLarge(session);
        JsonRpcLog.WebSocketOpened(logger, session.ConnectionId, chosen ?? "none");
        // A stopping daemon says so (1001) instead of just dropping the connection.
        using CancellationTokenRegistration onStopping = lifetime.ApplicationStopping.Register(
            static state => ((WebSocketSession)state!).Close(WebSocketCloseStatus.EndpointUnavailable, "provisioningd is stopping"),
            session);
        Task writer = session.RunWriterAsync(context.RequestAborted);
        try
        {
            // The caller of every call on this WebSocket: the connection's, with the token of the upgrade.
            Func<Caller> caller = () => JsonRpcConnectionGate.CallerOf(context) with { HasValidToken = validToken };
            await ReceiveAsync(socket, session, pathCallsign, caller);
        }
        finally
        {
            hub.Detach(session);
            session.Complete();
            await writer;
            await DrainAsync(socket, frames, context.RequestAborted);
            JsonRpcLog.WebSocketClosed(logger, session.ConnectionId);
        }
    }

    /// <summary>
    /// After a close frame went out without the peer's answer read (the WebSocket refused a frame and closed with
    /// 1002 or 1007, or the peer vanished), reads off what the peer still sends until its close frame or its end of
    /// the connection (or its first pause, when a forbidden length lost track of its frames), for at most the close
    /// grace. Closing with unread input would reset the connection, and a reset can destroy the close frame before
    /// the peer has read it.
    /// </summary>
    private async Task DrainAsync(WebSocket socket, ClientFrameStream frames, CancellationToken requestAborted)
    {
        if (socket.State is not (WebSocketState.Aborted or WebSocketState.CloseSent) || frames.PeerClosed)
        {
            return;
        }

        using var grace = new CancellationTokenSource(WebSocketSession.CloseGrace, timeProvider);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, requestAborted, lifetime.ApplicationStopping);
        try
        {
            await frames.DrainAsync(timeProvider, stop.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The peer kept sending past the grace, or the connection is gone: the server closes it now either way.
        }
    }

    /// <summary>A message over JsonRpc:MaxBodyBytes, found from a frame's header or from what arrived: close 1009.</summary>
    private void RefuseTooLarge(WebSocketSession session)
    {
        if (!session.IsClosing && _tooLargeLog.Admit(logger))
        {
            JsonRpcLog.FrameTooBig(logger, session.ConnectionId, _options.MaxBodyBytes);
        }

        session.Close(WebSocketCloseStatus.MessageTooBig, "frame larger than JsonRpc:MaxBodyBytes");
    }

    private async Task ReceiveAsync(WebSocket socket, WebSocketSession session, string? pathCallsign, Func<Caller> caller)
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
                    RefuseTooLarge(session);
                    draining = true;
                    continue;
                }

                if (!received.EndOfMessage)
                {
                    continue;
                }

                JsonRpcReply? reply = received.MessageType == WebSocketMessageType.Binary
                    ? ResponseWriter.Error(null, JsonRpcErrors.InvalidRequestBecause("Send requests as text frames; binary frames are not supported."))
                    : await dispatcher.DispatchAsync(buffer.AsMemory(0, count), pathCallsign, session, caller, closing);
                count = 0;
                draining = reply is not null && !await session.SendReplyAsync(reply.Body, closing);
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
