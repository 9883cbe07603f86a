using System.Text.Json;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.JsonRpc;

internal sealed partial class JsonRpcDispatcher
{
    internal static readonly HashSet<string> MethodNames = ["provision", "index", "id", "state", "register", "unregister", "exists"];

    private async ValueTask<CallResult> CallProvisioningAsync(
        Designator designator,
        RequestEnvelope envelope,
        ReadOnlyMemory<byte> body,
        WebSocketSession? session,
        Func<Caller> caller,
        CancellationToken cancellationToken)
    {
        if (!activation.IsActive)
        {
            return JsonRpcErrors.NotActive;
        }

        if (designator.IsUnsupportedVersion)
        {
            return JsonRpcErrors.VersionNotSupported;
        }

        switch (designator.Name)
        {
            case "provision":
                ProvisionStart start = await engine.ProvisionAsync(cancellationToken);
                return JsonRpcErrors.FromEngine(start.Error) is { } provisionError ? provisionError : CallResult.Null;
            case "index":
                return await SetIndexAsync(envelope.Params(body.Span).ToArray(), cancellationToken);
            case "id":
                if (envelope.HasParams)
                {
                    return JsonRpcErrors.Unavailable;
                }

                return CallResult.Of(engine.Current.Id);
            case "state":
                if (envelope.HasParams)
                {
                    return JsonRpcErrors.Unavailable;
                }

                return engine.Current is { Phase: not (EnginePhase.Unavailable or EnginePhase.Starting) } state
                    ? CallResult.Of(new StateResult(state.Id, state.Status, state.Labels.IsDefault ? [] : state.Labels))
                    : JsonRpcErrors.Unavailable;
            case "register":
                return Register(session, caller, envelope.Params(body.Span), Callsign, EventHub.ProvisioningChange);
            case "unregister":
                return Unregister(session, envelope.Params(body.Span), Callsign, EventHub.ProvisioningChange);
            case "exists":
                return Exists(envelope.Params(body.Span), MethodNames);
            default:
                return JsonRpcErrors.UnknownMethod;
        }
    }

    private async ValueTask<CallResult> SetIndexAsync(byte[] parameters, CancellationToken cancellationToken)
    {
        List<ParamMember>? members = ParamsReader.ReadObject(parameters);
        if (members is null)
        {
            return JsonRpcErrors.InvalidParamsBecause("params must be an object {label?: string, index?: number}.");
        }

        string? label = null;
        int? index = null;
        if (ParamsReader.Find(members, "label") is { } labelMember && labelMember.Kind != JsonTokenType.Null)
        {
            if (labelMember.Kind != JsonTokenType.String)
            {
                return JsonRpcErrors.InvalidParamsBecause("label must be a string.");
            }

            label = labelMember.Text;
        }

        if (ParamsReader.Find(members, "index") is { } indexMember && indexMember.Kind != JsonTokenType.Null)
        {
            if (indexMember.Integer is not (>= 0 and <= int.MaxValue))
            {
                return JsonRpcErrors.InvalidParamsBecause("index must be a non-negative integer.");
            }

            index = (int)indexMember.Integer.Value;
        }

        EngineError error = await engine.SetIndexAsync(label, index, cancellationToken);
        return JsonRpcErrors.FromEngine(error) is { } indexError ? indexError : CallResult.Null;
    }

    /// <summary>The built-in every callsign has (R5 behaviour): is this one of the callsign's methods?</summary>
    private static CallResult Exists(ReadOnlySpan<byte> parameters, HashSet<string> methodNames)
    {
        List<ParamMember>? members = ParamsReader.ReadObject(parameters);
        if (members is null || ParamsReader.Find(members, "method") is not { Kind: JsonTokenType.String } method)
        {
            return JsonRpcErrors.InvalidParamsBecause("params must be {\"method\": string}.");
        }

        return CallResult.Of(methodNames.Contains(method.Text!));
    }
}
