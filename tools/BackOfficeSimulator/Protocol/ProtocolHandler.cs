using System.Text.Json;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// Answers provision and poll requests. A request first takes the next matching fault; faults that
/// answer by themselves (status, malformed, truncated, reset) skip validation; the others (delay,
/// accepted) let the request be validated and answered as the protocol says.
/// </summary>
internal sealed class ProtocolHandler(SimulatorState state)
{
    private const string PlaceholderId = "WPE0000000000000";

    public async Task ProvisionAsync(HttpContext context)
    {
        string id = context.Request.RouteValues["id"] as string ?? "";
        string? body = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted);
        FaultSpec? fault = state.Faults.TryTake(FaultTarget.Provision, id);
        Exchange exchange = Exchange.Begin(state, context, id, body is null ? null : Clip(body), fault);
        await RunAsync(exchange, () => ProvisioningFactory.ForFault(state.Devices, id, null, state.Options), () => AnswerProvisionAsync(context, id, body, fault));
    }

    public async Task PollAsync(HttpContext context)
    {
        string operationId = context.Request.RouteValues["operation"] as string ?? "";
        Operation? operation = state.Operations.Find(operationId);
        FaultSpec? fault = state.Faults.TryTake(FaultTarget.Poll, operation?.DeviceId);
        Exchange exchange = Exchange.Begin(state, context, operation?.DeviceId, null, fault);
        await RunAsync(
            exchange,
            () => ProvisioningFactory.ForFault(state.Devices, operation?.DeviceId ?? PlaceholderId, operation?.Labels, state.Options),
            () => AnswerPollAsync(context, operation, fault));
    }

    private async Task RunAsync(Exchange exchange, Func<ProvisioningBody> faultBody, Func<Task> answer)
    {
        try
        {
            RequestOutcome? outcome = exchange.Fault is { } fault
                ? await FaultResponder.ApplyAsync(state, exchange.Context, fault, faultBody)
                : null;
            if (outcome is null)
            {
                await answer();
            }

            exchange.End(outcome ?? RequestOutcome.Answered);
        }
        catch (Exception ex) when (exchange.Context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            exchange.End(RequestOutcome.ClientAborted);
        }
    }

    private async Task AnswerProvisionAsync(HttpContext context, string id, string? text, FaultSpec? fault)
    {
        if (await RejectUnauthorizedAsync(context))
        {
            return;
        }

        if (text is null)
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "body_too_large", $"The body exceeds {RequestBodyReader.MaxBytes} bytes.");
            return;
        }

        ProvisionRequestBody? body = await ValidateProvisionAsync(context, id, text);
        if (body is null)
        {
            return;
        }

        SimulatedDevice? device = await FindDeviceAsync(context, id, enroll: true);
        if (device is null)
        {
            return;
        }

        string key = context.Request.Headers["Idempotency-Key"].ToString();
        if (!state.IdempotencyKeys.TryUse(key, Fingerprint(id, body.Labels)))
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status409Conflict, "idempotency_key_reused", "This Idempotency-Key was used for a different request.");
            return;
        }

        if (fault?.Kind == FaultKind.Accepted)
        {
            if (ProvisioningFactory.Select(device, body.Labels).Count == 0)
            {
                await RejectNoLabelsAsync(context);
                return;
            }

            Operation operation = state.Operations.Create(id, body.Labels, fault);
            await AcceptAsync(context, operation, fault);
            return;
        }

        await AnswerProvisioningAsync(context, device, body.Labels);
    }

    private async Task AnswerPollAsync(HttpContext context, Operation? operation, FaultSpec? fault)
    {
        if (await RejectUnauthorizedAsync(context))
        {
            return;
        }

        if (operation is null)
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "unknown_operation", "No such operation.");
            return;
        }

        // An accepted fault on a poll keeps the operation pending without counting the poll.
        if (fault?.Kind == FaultKind.Accepted)
        {
            await AcceptAsync(context, operation, fault);
            return;
        }

        if (!operation.CountPoll())
        {
            await AcceptAsync(context, operation, operation.Accepted);
            return;
        }

        SimulatedDevice? device = await FindDeviceAsync(context, operation.DeviceId, enroll: false);
        if (device is not null)
        {
            await AnswerProvisioningAsync(context, device, operation.Labels);
        }
    }

    private async Task AnswerProvisioningAsync(HttpContext context, SimulatedDevice device, IReadOnlyList<string>? labels)
    {
        IReadOnlyList<TokenBody> tokens = ProvisioningFactory.Select(device, labels);
        if (tokens.Count == 0)
        {
            await RejectNoLabelsAsync(context);
            return;
        }

        ProvisioningBody provisioning = ProvisioningFactory.Create(device.Id, tokens, state.Options);
        await Responses.WriteJsonAsync(context, StatusCodes.Status200OK, provisioning, SimulatorJson.Context.ProvisioningBody);
    }

    private Task AcceptAsync(HttpContext context, Operation operation, FaultSpec accepted)
    {
        RetryAfterHeader.Apply(context, accepted.RetryAfter ?? 1, accepted.RetryAfterFormat, state.TimeProvider);
        return Responses.WriteJsonAsync(context, StatusCodes.Status202Accepted, new OperationBody(operation.Id), SimulatorJson.Context.OperationBody);
    }

    /// <summary>Checks everything about the request itself; answers 400 and returns null when something is wrong.</summary>
    private static async Task<ProvisionRequestBody?> ValidateProvisionAsync(HttpContext context, string id, string text)
    {
        string? problem = null;
        ProvisionRequestBody? body = null;
        string key = context.Request.Headers["Idempotency-Key"].ToString();
        if (!ProtocolRules.IsValidProvisionId(id))
        {
            problem = "The URL does not hold a provision ID (WPE and 13 base62 characters).";
        }
        else if (key.Length == 0)
        {
            problem = "The Idempotency-Key header is missing.";
        }
        else if (!Guid.TryParse(key, out _))
        {
            problem = "The Idempotency-Key header is not a UUID.";
        }
        else if (!context.Request.HasJsonContentType())
        {
            problem = "Content-Type must be application/json.";
        }
        else
        {
            try
            {
                body = JsonSerializer.Deserialize(text, SimulatorJson.Context.ProvisionRequestBody);
            }
            catch (JsonException ex)
            {
                problem = $"The body is not a provision request: {ex.Message}";
            }

            problem ??= body switch
            {
                null => "The body is not a JSON object.",
                { Id: null } => "The body lacks \"id\".",
                { Id: var bodyId } when !string.Equals(bodyId, id, StringComparison.Ordinal) => "\"id\" does not match the provision ID of the URL.",
                { Labels: { } labels } when labels.Any(l => !ProtocolRules.IsValidLabel(l)) => "A label is not 1-64 characters of [A-Za-z0-9._-].",
                _ => null,
            };
        }

        if (problem is null)
        {
            return body;
        }

        await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", problem);
        return null;
    }

    /// <summary>The device, or null after answering 404 (unknown), 403 (blocked), 410 (retired) or 503 (registry full).</summary>
    private async Task<SimulatedDevice?> FindDeviceAsync(HttpContext context, string id, bool enroll)
    {
        SimulatedDevice? device;
        bool full = false;
        if (enroll)
        {
            bool known = state.Devices.TryGet(id, out device);
            device ??= state.Devices.GetOrEnroll(id, out full);
            if (!known && device is not null && state.Logger.IsEnabled(LogLevel.Information))
            {
                state.Logger.DeviceEnrolled(id, string.Join(',', device.LabelNames));
            }
        }
        else
        {
            state.Devices.TryGet(id, out device);
        }

        (int Status, string Error, string Message)? rejection = device switch
        {
            null when full => (StatusCodes.Status503ServiceUnavailable, "registry_full", "The simulator holds its maximum number of devices."),
            null => (StatusCodes.Status404NotFound, "unknown_device", "The back office does not know this device."),
            { State: DeviceState.Blocked } => (StatusCodes.Status403Forbidden, "device_blocked", "This device is blocked."),
            { State: DeviceState.Retired } => (StatusCodes.Status410Gone, "device_retired", "This device is retired."),
            _ => null,
        };

        if (rejection is { } r)
        {
            await Responses.WriteErrorAsync(context, r.Status, r.Error, r.Message);
            return null;
        }

        return device;
    }

    private async Task<bool> RejectUnauthorizedAsync(HttpContext context)
    {
        if (state.Options.DeviceToken is not { Length: > 0 } token ||
            string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + token, StringComparison.Ordinal))
        {
            return false;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Responses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", "A valid device token is required.");
        return true;
    }

    private static Task RejectNoLabelsAsync(HttpContext context) =>
        Responses.WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "no_matching_labels", "None of the requested labels is assigned to this device.");

    private static string Fingerprint(string id, IReadOnlyList<string>? labels) =>
        labels is null ? id : id + "|" + string.Join(',', labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string Clip(string body) => body.Length <= 4096 ? body : body[..4096];
}
