using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// The one dispatcher both transports use: envelope, designator, routing to the Provisioning members,
/// the built-ins and the Controller subset. It translates onto the engine and holds no provisioning logic.
/// </summary>
internal sealed partial class JsonRpcDispatcher(
    ProvisioningEngine engine,
    PluginActivation activation,
    EventHub hub,
    IOptions<JsonRpcOptions> options,
    ILogger<JsonRpcDispatcher> logger)
{
    public const string Callsign = "Provisioning";
    public const string ControllerCallsign = "Controller";

    private readonly int _maxDepth = options.Value.MaxDepth;

    /// <summary>
    /// Handles one request body, which the transport has already bounded by JsonRpc:MaxBodyBytes; null means a
    /// notification, which is never answered.
    /// </summary>
    /// <param name="pathCallsign">"Provisioning" for /jsonrpc/Provisioning, where the designator may omit it; null for /jsonrpc.</param>
    /// <param name="session">The WebSocket the request came on; null over HTTP.</param>
    public async ValueTask<JsonRpcReply?> DispatchAsync(
        ReadOnlyMemory<byte> body,
        string? pathCallsign,
        WebSocketSession? session,
        CancellationToken cancellationToken)
    {
        RequestEnvelope envelope = EnvelopeReader.Read(body.Span, _maxDepth);
        switch (envelope.Status)
        {
            case EnvelopeStatus.NotJson:
                return ResponseWriter.Error(null, JsonRpcErrors.ParseError);
            case EnvelopeStatus.NotAnObject:
                return ResponseWriter.Error(null, JsonRpcErrors.InvalidRequestBecause("A request is one JSON object; batches are not supported."));
            case EnvelopeStatus.TooDeep:
                return ResponseWriter.Error(null, JsonRpcErrors.InvalidRequestBecause("The request nests deeper than JsonRpc:MaxDepth."));
            case EnvelopeStatus.InvalidId:
                return ResponseWriter.Error(null, JsonRpcErrors.InvalidRequestBecause("The id must be an unsigned 32-bit number."));
            case EnvelopeStatus.NoMethod:
                return ResponseWriter.Error(envelope.Id, JsonRpcErrors.InvalidRequestBecause("The method must be a string."));
        }

        CallResult result;
        try
        {
            result = await CallAsync(envelope, body, pathCallsign, session, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            JsonRpcLog.CallFailed(logger, exception);
            result = JsonRpcErrors.InternalError;
        }

        return envelope.Id is null ? null : ResponseWriter.Write(envelope.Id, result);
    }

    private ValueTask<CallResult> CallAsync(
        RequestEnvelope envelope,
        ReadOnlyMemory<byte> body,
        string? pathCallsign,
        WebSocketSession? session,
        CancellationToken cancellationToken)
    {
        var designator = Designator.Parse(envelope.Method!);
        string callsign = designator.Callsign;
        if (pathCallsign is not null)
        {
            if (callsign.Length != 0 && callsign != pathCallsign)
            {
                return new(JsonRpcErrors.UnknownCallsign);
            }

            callsign = pathCallsign;
        }

        // Thunder routes a designator without a callsign on /jsonrpc to its Controller.
        return callsign switch
        {
            Callsign => CallProvisioningAsync(designator, envelope, body, session, cancellationToken),
            ControllerCallsign or "" => new(CallController(designator, envelope.Params(body.Span), session)),
            _ => new(JsonRpcErrors.UnknownCallsign),
        };
    }
}
