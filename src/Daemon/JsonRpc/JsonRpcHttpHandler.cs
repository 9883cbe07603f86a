using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>POST /jsonrpc[/Provisioning]: one request per body, Thunder R4's status codes.</summary>
internal sealed class JsonRpcHttpHandler(
    JsonRpcDispatcher dispatcher,
    BearerTokens tokens,
    JsonRpcWebSocketHandler webSockets,
    IOptions<JsonRpcOptions> options,
    ILogger<JsonRpcHttpHandler> logger)
{
    private readonly int _maxBodyBytes = options.Value.MaxBodyBytes;
    private readonly LogThrottle _unreadableBodyLog = new(3012);
    private readonly LogThrottle _tokenRefusalLog = new(3007);

    public async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        if (!JsonRpcConnectionGate.IsOnListener(context))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // The token first, whatever the request (path, method), as Thunder's security check comes first: without a
        // valid one a caller learns nothing about what the bridge serves. A WebSocket upgrade may carry it in its
        // query (browsers cannot set headers on one) and is refused with 403, as Thunder refuses it.
        bool upgrade = WebSocketHandshake.IsUpgradeRequest(context.Request);
        (bool passes, bool validToken) = tokens.Check(context, allowQuery: upgrade);
        if (!passes)
        {
            if (_tokenRefusalLog.Admit(logger))
            {
                JsonRpcLog.TokenRejected(logger, context.Request.Path);
            }

            response.StatusCode = upgrade ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            if (!upgrade)
            {
                response.Headers.WWWAuthenticate = "Bearer";
            }

            return;
        }

        if (PathCallsign(context.Request.RouteValues["callsign"] as string, out string? pathCallsign) is { } pathStatus)
        {
            response.StatusCode = pathStatus;
            return;
        }

        if (upgrade)
        {
            await webSockets.HandleAsync(context, pathCallsign, validToken);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "POST";
            return;
        }

        (byte[]? body, int length) = (null, 0);
        try
        {
            (body, length) = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException or OperationCanceledException)
        {
            if (context.RequestAborted.IsCancellationRequested || exception is ConnectionResetException or OperationCanceledException)
            {
                // The caller went away mid-body: nobody to answer, nothing worth a log line.
                return;
            }

            if (IsCallersEnd(exception))
            {
                // The caller closed its end (or half of it) mid-body: nobody to answer either, and the connection
                // ends here (Kestrel's own warning about it is filtered: DaemonConfiguration).
                context.Abort();
                return;
            }

            // The caller's mistake (broken chunked encoding, an overflowing chunk size, which Kestrel reports as an
            // IOException, or a body that trickles in too slowly): a 4xx, one line, no stack trace, and the
            // connection ends after the answer.
            int status = exception is BadHttpRequestException { StatusCode: >= 400 and < 500 } bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            if (_unreadableBodyLog.Admit(logger))
            {
                JsonRpcLog.BodyUnreadable(logger, context.Request.Path, status, exception.Message);
            }

            response.StatusCode = status;
            response.Headers.Connection = "close";
            return;
        }

        JsonRpcReply? reply;
        if (body is null)
        {
            reply = ResponseWriter.Error(null, JsonRpcErrors.TooLarge);
        }
        else if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(body);
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        else
        {
            try
            {
                reply = await dispatcher.DispatchAsync(
                    body.AsMemory(0, length),
                    pathCallsign,
                    session: null,
                    () => JsonRpcConnectionGate.CallerOf(context) with { HasValidToken = validToken },
                    context.RequestAborted);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }

        if (reply is null)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        response.StatusCode = reply.IsError ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = reply.Body.Length;
        await response.BodyWriter.WriteAsync(reply.Body, context.RequestAborted);
    }

    /// <summary>
    /// The callsign of <c>/jsonrpc/&lt;callsign&gt;[.version][/...]</c>, read as Thunder reads it (its native client's
    /// directed link asks for <c>/jsonrpc/Provisioning.1</c>): null status when the path serves Provisioning (or is
    /// plain /jsonrpc); 404 for another callsign; 400 for a version of Provisioning other than 1, as Thunder answers.
    /// </summary>
    private static int? PathCallsign(string? segment, out string? pathCallsign)
    {
        pathCallsign = null;
        if (segment is null)
        {
            return null;
        }

        if (segment == JsonRpcDispatcher.Callsign)
        {
            pathCallsign = JsonRpcDispatcher.Callsign;
            return null;
        }

        if (!segment.StartsWith(JsonRpcDispatcher.Callsign + ".", StringComparison.Ordinal))
        {
            return StatusCodes.Status404NotFound;
        }

        pathCallsign = JsonRpcDispatcher.Callsign;
        ReadOnlySpan<char> version = segment.AsSpan(JsonRpcDispatcher.Callsign.Length + 1);
        return !version.ContainsAnyExceptInRange('0', '9') && uint.TryParse(version, out uint number) && number == 1
            ? null
            : StatusCodes.Status400BadRequest;
    }

    /// <summary>Kestrel's "Unexpected end of request content": the connection's input ended before the body did.</summary>
    private static bool IsCallersEnd(Exception exception) =>
        exception is BadHttpRequestException bad && bad.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal);

    /// <summary>
    /// Reads at most JsonRpc:MaxBodyBytes into a pooled array; null when the body is larger, known from its
    /// Content-Length before reading or found while reading (chunked). The one place the HTTP body is bounded.
    /// </summary>
    private async Task<(byte[]? Body, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > _maxBodyBytes)
        {
            return (null, 0);
        }

        PipeReader reader = request.BodyReader;
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (buffer.Length > _maxBodyBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return (null, 0);
            }

            if (read.IsCompleted)
            {
                int length = (int)buffer.Length;
                byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                buffer.CopyTo(body);
                reader.AdvanceTo(buffer.End);
                return (body, length);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
