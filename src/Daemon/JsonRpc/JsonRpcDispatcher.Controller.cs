using System.Text.Json;
using Provisioning.Daemon.Authorization;

namespace Provisioning.Daemon.JsonRpc;

internal sealed partial class JsonRpcDispatcher
{
    internal static readonly HashSet<string> ControllerMethodNames = ["status", "activate", "deactivate", "register", "unregister", "exists"];

    /// <summary>
    /// The Controller subset: status, activate and deactivate for the one callsign the bridge serves, the built-ins
    /// every callsign has, and the one Controller event callers watch a plugin with, statechange (Thunder's native
    /// SmartLinkType registers for it before it calls status@Provisioning; ThunderJS apps do too).
    /// </summary>
    private CallResult CallController(Designator designator, ReadOnlySpan<byte> parameters, WebSocketSession? session, Func<Caller> caller)
    {
        if (designator.IsUnsupportedVersion)
        {
            return JsonRpcErrors.VersionNotSupported;
        }

        switch (designator.Name)
        {
            case "status":
                if (designator.Index is not null && designator.Index != Callsign)
                {
                    return JsonRpcErrors.UnknownKey;
                }

                string state = activation.IsActive ? "activated" : "deactivated";
                return CallResult.Of(new[] { new PluginStatus(Callsign, Callsign, state, Autostart: true) });
            case "activate":
            case "deactivate":
                List<ParamMember>? members = ParamsReader.ReadObject(parameters);
                if (members is null || ParamsReader.Find(members, "callsign") is not { Kind: JsonTokenType.String } callsign)
                {
                    return JsonRpcErrors.InvalidParamsBecause("params must be {\"callsign\": string}.");
                }

                if (callsign.Text != Callsign)
                {
                    return JsonRpcErrors.UnknownKey;
                }

                if (designator.Name == "activate")
                {
                    activation.Activate();
                }
                else
                {
                    activation.Deactivate();
                }

                return CallResult.Null;
            case "exists":
                return Exists(parameters, ControllerMethodNames);
            case "register":
                return Register(session, caller, parameters, ControllerCallsign, EventHub.StateChange);
            case "unregister":
                return Unregister(session, parameters, ControllerCallsign, EventHub.StateChange);
            default:
                return JsonRpcErrors.UnknownMethod;
        }
    }
}
