using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;
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
    CallerAuthorizer authorizer,
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
    /// <param name="caller">Who is calling, for the Authorization policy; asked only when a rule is not open to everyone.</param>
    public async ValueTask<JsonRpcReply?> DispatchAsync(
        ReadOnlyMemory<byte> body,
        string? pathCallsign,
        WebSocketSession? session,
        Func<Caller> caller,
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
            result = await CallAsync(envelope, body, pathCallsign, session, caller, cancellationToken);
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
        Func<Caller> caller,
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

        // As in Thunder, the security check comes before the method is looked up or the plugin's state is asked.
        if (!authorizer.Allows(caller, OperationOf(callsign, designator.Name), envelope.Method!))
        {
            return new(JsonRpcErrors.NotAllowed);
        }

        if (ParamsReader.HasUndecodableString(envelope.Params(body.Span)))
        {
            return new(JsonRpcErrors.InvalidParamsBecause("params hold a string that is not valid Unicode (a lone surrogate escape)."));
        }

        // Thunder routes a designator without a callsign on /jsonrpc to its Controller.
        return callsign switch
        {
            Callsign => CallProvisioningAsync(designator, envelope, body, session, caller, cancellationToken),
            ControllerCallsign or "" => new(CallController(designator, envelope.Params(body.Span), session, caller)),
            _ => new(JsonRpcErrors.UnknownCallsign),
        };
    }

    /// <summary>
    /// What a method is to the Authorization policy: provision and index change the provisioning, Controller activate
    /// and deactivate switch the plugin; everything else (id, state, events, exists, status, and names that do not
    /// exist, which answer their usual errors) is a read.
    /// </summary>
    public static Operation OperationOf(string callsign, string name) => callsign switch
    {
        Callsign when name is "provision" or "index" => Operation.Provision,
        ControllerCallsign or "" when name is "activate" or "deactivate" => Operation.Controller,
        _ => Operation.Read,
    };
}
