using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Provisioning.Daemon.Authorization;

namespace Provisioning.Daemon.JsonRpc;

internal sealed partial class JsonRpcDispatcher
{
    /// <summary>The longest event id (a client's namespace, e.g. "temporary1") a registration may name.</summary>
    public const int MaxEventIdLength = 256;

    private const string EventsNeedWebSocket =
        "Events need a WebSocket: open ws://<host>/jsonrpc and register there; HTTP cannot carry notifications.";

    /// <param name="caller">Whose share of the registrations this one counts against (JsonRpc:MaxRegistrationsPerUid).</param>
    /// <param name="eventName">The one event the callsign publishes here.</param>
    private CallResult Register(WebSocketSession? session, Func<Caller> caller, ReadOnlySpan<byte> parameters, string callsign, string eventName)
    {
        if (session is null)
        {
            return JsonRpcErrors.InvalidRequestBecause(EventsNeedWebSocket);
        }

        if (!ReadRegistration(parameters, callsign, eventName, out string? id, out JsonRpcError? invalid))
        {
            return invalid!;
        }

        switch (hub.Register(session, caller().Uid, id, eventName))
        {
            case RegistrationOutcome.AlreadyRegistered:
                return JsonRpcErrors.RegistrationAlreadyDone;
            case RegistrationOutcome.LimitReached:
                return JsonRpcErrors.InvalidRequestBecause("This connection has reached JsonRpc:MaxRegistrationsPerConnection.");
            case RegistrationOutcome.BridgeLimitReached:
                return JsonRpcErrors.InvalidRequestBecause("The bridge has reached JsonRpc:MaxRegistrations.");
            case RegistrationOutcome.UidShareReached:
                return JsonRpcErrors.InvalidRequestBecause("The connections of this uid have reached JsonRpc:MaxRegistrationsPerUid.");
            default:
                return CallResult.Zero;
        }
    }

    private CallResult Unregister(WebSocketSession? session, ReadOnlySpan<byte> parameters, string callsign, string eventName)
    {
        if (session is null)
        {
            return JsonRpcErrors.InvalidRequestBecause(EventsNeedWebSocket);
        }

        if (!ReadRegistration(parameters, callsign, eventName, out string? id, out JsonRpcError? invalid))
        {
            return invalid!;
        }

        return hub.Unregister(session, id, eventName) ? CallResult.Zero : JsonRpcErrors.UnregisterAlreadyDone;
    }

    private static bool ReadRegistration(
        ReadOnlySpan<byte> parameters,
        string callsign,
        string eventName,
        [NotNullWhen(true)] out string? id,
        [NotNullWhen(false)] out JsonRpcError? invalid)
    {
        id = null;
        invalid = null;
        List<ParamMember>? members = ParamsReader.ReadObject(parameters);
        if (members is null
            || ParamsReader.Find(members, "event") is not { Kind: JsonTokenType.String } eventMember
            || ParamsReader.Find(members, "id") is not { Kind: JsonTokenType.String } idMember)
        {
            invalid = JsonRpcErrors.InvalidParamsBecause("params must be {\"event\": string, \"id\": string}.");
            return false;
        }

        if (eventMember.Text != eventName)
        {
            invalid = JsonRpcErrors.InvalidParamsBecause($"{callsign} has one event: {eventName}.");
            return false;
        }

        if (idMember.Text!.Length > MaxEventIdLength)
        {
            invalid = JsonRpcErrors.InvalidParamsBecause($"id is longer than {MaxEventIdLength} characters.");
            return false;
        }

        id = idMember.Text;
        return true;
    }
}
