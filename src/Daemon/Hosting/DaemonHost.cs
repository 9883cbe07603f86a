using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Hosting;

/// <summary>Builds the daemon's host; Program.cs and the tests use the same two calls.</summary>
internal static class DaemonHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddBackOffice(builder.Configuration);
        builder.Services.AddJsonRpcBridge(builder.Configuration);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        WebApplication app = builder.Build();
        app.MapJsonRpcBridge();
        return app;
    }
}
