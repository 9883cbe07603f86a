namespace Provisioning.BackOfficeSimulator;

/// <summary>The checks that answer 401, 403, 404, 410 and 503 about the caller and its device.</summary>
internal sealed partial class ProtocolHandler
{
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
}
