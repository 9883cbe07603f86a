namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// Answers provision and poll requests. A request first takes the next matching fault; faults that
/// answer by themselves (status, malformed, truncated, reset) skip validation; the others (delay,
/// accepted) let the request be validated and answered as the protocol says.
/// </summary>
internal sealed partial class ProtocolHandler(SimulatorState state)
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

        ProvisionRequestBody? body = await ProvisionRequestValidator.ValidateAsync(context, id, text);
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

    private static Task RejectNoLabelsAsync(HttpContext context) =>
        Responses.WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "no_matching_labels", "None of the requested labels is assigned to this device.");

    private static string Fingerprint(string id, IReadOnlyList<string>? labels) =>
        labels is null ? id : id + "|" + string.Join(',', labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string Clip(string body) => body.Length <= 4096 ? body : body[..4096];
}
