using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Registers the Thunder JSON-RPC bridge: its listener, its endpoints and its one engine subscription.</summary>
internal static class JsonRpcBridgeExtensions
{
    public static IServiceCollection AddJsonRpcBridge(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JsonRpcOptions>().Bind(configuration.GetSection(JsonRpcOptions.SectionName))
            .ValidateSection(JsonRpcOptions.SectionName, new JsonRpcOptionsValidator(), new JsonRpcOptionsRules());
        services.AddSingleton<JsonRpcConnectionGate>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, JsonRpcKestrelSetup>();
        services.AddSingleton<IConfigureOptions<SocketTransportOptions>, JsonRpcSocketTransportSetup>();
        services.AddSingleton<EventHub>();
        services.AddSingleton<PluginActivation>();
        services.AddSingleton<BearerTokens>();
        services.AddSingleton<JsonRpcDispatcher>();
        services.AddSingleton<JsonRpcWebSocketHandler>();
        services.AddSingleton<JsonRpcHttpHandler>();
        services.AddHostedService<EventPump>();
        return services;
    }

    public static WebApplication MapJsonRpcBridge(this WebApplication app)
    {
        // Mapped even when disabled: without the bridge's listener every request to these paths is a 404.
        // The bridge answers WebSocket upgrades itself (WebSocketHandshake), the way Thunder does, not through
        // ASP.NET Core's WebSocket middleware. Like Thunder, it takes the callsign from the first segment after
        // /jsonrpc and ignores the rest of the path.
        // The handler is a singleton, taken once here: a request then opens no service scope of its own.
        RequestDelegate handle = app.Services.GetRequiredService<JsonRpcHttpHandler>().HandleAsync;
        app.Map("/jsonrpc", handle);
        app.Map("/jsonrpc/{callsign}", handle);
        app.Map("/jsonrpc/{callsign}/{**rest}", handle);
        return app;
    }
}
