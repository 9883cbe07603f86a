namespace Provisioning.BackOfficeSimulator;

/// <summary>The two requests of docs/backoffice-protocol.md: provision and poll.</summary>
internal static class ProtocolEndpoints
{
    public static void MapProtocol(this WebApplication app, SimulatorState state)
    {
        var handler = new ProtocolHandler(state);
        app.MapPost("/v1/devices/{id}/provision", new RequestDelegate(handler.ProvisionAsync));
        app.MapGet("/v1/operations/{operation}", new RequestDelegate(handler.PollAsync));
    }
}
