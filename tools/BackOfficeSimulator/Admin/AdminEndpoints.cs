using System.Text.Json;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// /admin: the fault plan, the request log and the devices. No authentication (the device token
/// guards /v1 only): the simulator is a test tool bound to loopback. Admin requests are not logged.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapAdmin(this WebApplication app, SimulatorState state)
    {
        app.MapGet("/admin/faults", new RequestDelegate(c => WriteFaultsAsync(c, state)));
        app.MapPost("/admin/faults", new RequestDelegate(c => ChangeFaultsAsync(c, state, replace: false)));
        app.MapPut("/admin/faults", new RequestDelegate(c => ChangeFaultsAsync(c, state, replace: true)));
        app.MapDelete("/admin/faults", new RequestDelegate(c =>
        {
            state.Faults.Clear();
            state.Logger.FaultPlanChanged(0);
            return WriteFaultsAsync(c, state);
        }));

        app.MapGet("/admin/requests", new RequestDelegate(c =>
            Responses.WriteJsonAsync(c, StatusCodes.Status200OK, state.Log.Snapshot(), SimulatorJson.Context.IReadOnlyListRecordedRequest)));
        app.MapDelete("/admin/requests", new RequestDelegate(c =>
        {
            state.Log.Clear();
            return Responses.WriteJsonAsync(c, StatusCodes.Status200OK, state.Log.Snapshot(), SimulatorJson.Context.IReadOnlyListRecordedRequest);
        }));

        app.MapGet("/admin/devices", new RequestDelegate(c =>
            Responses.WriteJsonAsync(c, StatusCodes.Status200OK, [.. state.Devices.Snapshot().Select(DeviceSummary.From)], SimulatorJson.Context.IReadOnlyListDeviceSummary)));
        app.MapPost("/admin/devices", new RequestDelegate(c => AddDeviceAsync(c, state)));
        app.MapGet("/admin/devices/{id}", new RequestDelegate(c => WithDeviceAsync(c, state, (devices, id) => devices.TryGet(id, out SimulatedDevice? d) ? d : null)));
        app.MapPost("/admin/devices/{id}/rotate", new RequestDelegate(c => WithDeviceAsync(c, state, (devices, id) => devices.TryGet(id, out _) ? devices.RotateKeys(id) : null)));
        app.MapPut("/admin/devices/{id}/state", new RequestDelegate(c => SetStateAsync(c, state)));
        app.MapDelete("/admin/devices/{id}", new RequestDelegate(c => WithDeviceAsync(c, state, (devices, id) => devices.TryGet(id, out SimulatedDevice? d) && devices.Remove(id) ? d : null)));
    }

    private static Task WriteFaultsAsync(HttpContext context, SimulatorState state) =>
        Responses.WriteJsonAsync(context, StatusCodes.Status200OK, state.Faults.Snapshot(), SimulatorJson.Context.IReadOnlyListFaultSpec);

    /// <summary>POST appends, PUT replaces; the body is a JSON array of faults or a single fault object.</summary>
    private static async Task ChangeFaultsAsync(HttpContext context, SimulatorState state, bool replace)
    {
        string? text = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted, SimulatorServer.MaxAdminBodyBytes);
        List<FaultSpec>? faults;
        try
        {
            faults = text?.TrimStart() is ['{', ..]
                ? [JsonSerializer.Deserialize(text, SimulatorJson.Context.FaultSpec)!]
                : JsonSerializer.Deserialize(text ?? "", SimulatorJson.Context.ListFaultSpec);
            if (faults is null || faults.Contains(null!))
            {
                throw new JsonException("Expected a JSON array of faults or one fault object.");
            }

            if (replace)
            {
                state.Faults.Replace(faults);
            }
            else
            {
                state.Faults.Add(faults);
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_fault_plan", ex.Message);
            return;
        }

        state.Logger.FaultPlanChanged(state.Faults.Count);
        await WriteFaultsAsync(context, state);
    }

    private static async Task AddDeviceAsync(HttpContext context, SimulatorState state)
    {
        DeviceRequest? request = await ReadDeviceRequestAsync(context);
        if (request is null)
        {
            return;
        }

        try
        {
            SimulatedDevice device = state.Devices.Add(request.Id ?? "", [.. request.Labels ?? []]);
            if (request.State is { } deviceState)
            {
                device = state.Devices.SetState(device.Id, deviceState);
            }

            await Responses.WriteJsonAsync(context, StatusCodes.Status200OK, DeviceDetails.From(device), SimulatorJson.Context.DeviceDetails);
        }
        catch (ArgumentException ex)
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_device", ex.Message);
        }
    }

    private static async Task SetStateAsync(HttpContext context, SimulatorState state)
    {
        DeviceRequest? request = await ReadDeviceRequestAsync(context);
        if (request is null)
        {
            return;
        }

        if (request.State is not { } deviceState)
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_device", "\"state\" is required.");
            return;
        }

        await WithDeviceAsync(context, state, (devices, id) => devices.TryGet(id, out _) ? devices.SetState(id, deviceState) : null);
    }

    private static async Task WithDeviceAsync(HttpContext context, SimulatorState state, Func<DeviceRegistry, string, SimulatedDevice?> action)
    {
        string id = context.Request.RouteValues["id"] as string ?? "";
        if (action(state.Devices, id) is { } device)
        {
            await Responses.WriteJsonAsync(context, StatusCodes.Status200OK, DeviceDetails.From(device), SimulatorJson.Context.DeviceDetails);
        }
        else
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "unknown_device", "No such device.");
        }
    }

    private static async Task<DeviceRequest?> ReadDeviceRequestAsync(HttpContext context)
    {
        string? text = await RequestBodyReader.ReadAsync(context.Request, context.RequestAborted);
        try
        {
            return JsonSerializer.Deserialize(text ?? "", SimulatorJson.Context.DeviceRequest)
                ?? throw new JsonException("Expected a JSON object.");
        }
        catch (JsonException ex)
        {
            await Responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_device", ex.Message);
            return null;
        }
    }
}
