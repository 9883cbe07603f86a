using System.Text.Json;

namespace Provisioning.Daemon.JsonRpc;

internal sealed partial class JsonRpcDispatcher
{
    private const string EventsNeedWebSocket =
        "Events need a WebSocket: open ws://<host>/jsonrpc and register there; HTTP cannot carry notifications.";

    private CallResult Register(WebSocketSession? session, ReadOnlySpan<byte> parameters)
    {
        if (session is null)
        {
            return JsonRpcErrors.InvalidRequestBecause(EventsNeedWebSocket);
        }

        if (ReadRegistration(parameters, EventHub.ProvisioningChange, out string? id, out JsonRpcError? invalid) is not { } eventName)
        {
            return invalid!;
        }

        switch (session.Register(id!, eventName))
        {
            case RegistrationOutcome.AlreadyRegistered:
                return JsonRpcErrors.RegistrationAlreadyDone;
            case RegistrationOutcome.LimitReached:
                return JsonRpcErrors.InvalidRequestBecause("This connection has reached JsonRpc:MaxRegistrationsPerConnection.");
            default:
                hub.Attach(session);
                return CallResult.Zero;
        }
    }

    private static CallResult Unregister(WebSocketSession? session, ReadOnlySpan<byte> parameters)
    {
        if (session is null)
        {
            return JsonRpcErrors.InvalidRequestBecause(EventsNeedWebSocket);
        }

        if (ReadRegistration(parameters, EventHub.ProvisioningChange, out string? id, out JsonRpcError? invalid) is not { } eventName)
        {
            return invalid!;
        }

        return session.Unregister(id!, eventName) ? CallResult.Zero : JsonRpcErrors.UnregisterAlreadyDone;
    }

    /// <param name="eventName">The one event the callsign publishes; null when it publishes none.</param>
    private static string? ReadRegistration(ReadOnlySpan<byte> parameters, string? eventName, out string? id, out JsonRpcError? invalid)
    {
        id = null;
        invalid = null;
        List<ParamMember>? members = ParamsReader.ReadObject(parameters);
        if (members is null
            || ParamsReader.Find(members, "event") is not { Kind: JsonTokenType.String } eventMember
            || ParamsReader.Find(members, "id") is not { Kind: JsonTokenType.String } idMember)
        {
            invalid = JsonRpcErrors.InvalidParamsBecause("params must be {\"event\": string, \"id\": string}.");
            return null;
        }

        if (eventMember.Text != eventName)
        {
            invalid = JsonRpcErrors.InvalidParamsBecause(eventName is null
                ? "This callsign publishes no events here."
                : $"Provisioning has one event: {eventName}.");
            return null;
        }

        id = idMember.Text;
        return eventMember.Text;
    }
}
