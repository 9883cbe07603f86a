using System.Security.Cryptography;

namespace Provisioning.BackOfficeSimulator;

/// <summary>One /v1 request from arrival to how it ended, mirrored in the request log.</summary>
internal sealed class Exchange
{
    private readonly SimulatorState _state;
    private readonly LinkedListNode<RecordedRequest> _entry;

    private Exchange(SimulatorState state, HttpContext context, FaultSpec? fault, LinkedListNode<RecordedRequest> entry)
    {
        _state = state;
        Context = context;
        Fault = fault;
        _entry = entry;
    }

    public HttpContext Context { get; }

    public FaultSpec? Fault { get; }

    public static Exchange Begin(SimulatorState state, HttpContext context, string? deviceId, string? body, FaultSpec? fault)
    {
        HttpRequest request = context.Request;
        DateTimeOffset now = state.TimeProvider.GetUtcNow();
        LinkedListNode<RecordedRequest> entry = state.Log.Begin(sequence => new RecordedRequest(
            sequence,
            now,
            request.Method,
            request.Path.Value ?? "",
            deviceId,
            Header(request, "Idempotency-Key"),
            request.Headers.Authorization.Count > 0,
            Header(request, "User-Agent"),
            Header(request, "Accept"),
            body,
            fault?.Kind,
            0,
            RequestOutcome.Pending,
            context.Connection.ClientCertificate?.GetCertHashString(HashAlgorithmName.SHA256)));

        if (fault is not null)
        {
            state.Logger.FaultInjected(fault.Kind, request.Method, request.Path.Value ?? "");
        }

        return new Exchange(state, context, fault, entry);
    }

    public void End(RequestOutcome outcome)
    {
        int status = outcome is RequestOutcome.Answered or RequestOutcome.Truncated ? Context.Response.StatusCode : 0;
        DateTimeOffset? notBefore = outcome is RequestOutcome.Answered && Context.Items.TryGetValue(RetryAfterHeader.NotBeforeItem, out object? time)
            ? (DateTimeOffset?)time
            : null;
        _state.Log.Complete(_entry, r => r with { Status = status, Outcome = outcome, NotBefore = notBefore });
        _state.Logger.Answered(Context.Request.Method, Context.Request.Path.Value ?? "", _entry.Value.Answer);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) ? values.ToString() : null;
}
