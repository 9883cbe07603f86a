using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Common;
using Provisioning.Daemon.Common.Options;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Grpc;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Memory;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Systemd;

namespace Provisioning.Daemon.Hosting;

/// <summary>Builds the daemon's host; Program.cs, the development host (tools/DevDaemon), tests/WedgedDaemon and the tests use the same two calls.</summary>
internal static class DaemonHost
{
    /// <param name="args">The command line.</param>
    /// <param name="overrides">Settings layered above the file and below the environment (the development host and the tests use them).</param>
    public static WebApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        DaemonConfiguration.Apply(builder.Configuration, args, overrides);

        builder.Services.KeepRequestDiagnosticsOff();
        builder.Services.ThrottleFrameworkLogs();
        builder.Services.AddSystemdService(SystemdEnvironment.Current);
        if (OperatingSystem.IsWindows())
        {
            // Constant false in a Native AOT build for Linux: the compiler leaves the Windows service host and its
            // event-log logger out of the device binary.
            builder.Services.AddWindowsService(options => options.ServiceName = "provisioningd");
        }

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, RequestHeaderLimits>();
        builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>, ConnectionBufferLimits>();
        builder.Services.AddSingleton<IConfigureOptions<SocketTransportOptions>, ConnectionBufferLimits>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDeviceIdentity(builder.Configuration);
        builder.Services.AddStateStore(builder.Configuration);

        // The engine before every other hosted service: it restores the state in its StartAsync, so the
        // services after it and the listeners (started last by WebApplication) find the state in place.
        builder.Services.AddProvisioningEngine(builder.Configuration);
        builder.Services.AddBackOffice(builder.Configuration);
        builder.Services.AddCallerAuthorization(builder.Configuration);
        builder.Services.AddGrpcApi(builder.Configuration);
        builder.Services.AddJsonRpcBridge(builder.Configuration);
        builder.Services.AddSystemdNotifications();
        builder.Services.AddMemoryUpkeep();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        WebApplication app;
        try
        {
            app = builder.Build();
        }
        catch (Exception exception) when (SettingsCheck.IsSettingsFailure(exception))
        {
            // The listeners' setups read their sections while the host is built; a bad one there must not hide
            // the others: the settings alone, in a container of their own, name every bad one.
            using (ServiceProvider settingsOnly = builder.Services.BuildServiceProvider())
            {
                SettingsCheck.Run(settingsOnly);
            }

            throw;
        }

        // Every setting is checked before the host starts: all bad ones are reported together, by name (exit 78),
        // not the first one alone as a start failure with its stack trace.
        try
        {
            SettingsCheck.Run(app.Services);
        }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        ILoggerFactory loggers = app.Services.GetRequiredService<ILoggerFactory>();
        ILogger logger = loggers.CreateLogger(typeof(DaemonHost).FullName!);
        string version = BuildInfo.Version, build = BuildInfo.Describe();
        HostingLog.Starting(logger, version, build);
        WarnAboutUnknownSettings(app, logger);
        GcHeapLimit.Check(loggers.CreateLogger(typeof(GcHeapLimit).FullName!));
        app.MapGrpcApi();
        app.MapJsonRpcBridge();
        return app;
    }

    private static void WarnAboutUnknownSettings(WebApplication app, ILogger logger)
    {
        foreach ((string key, string? nearest) in UnknownSettings.Find(app.Configuration))
        {
            if (nearest is null)
            {
                HostingLog.UnknownSetting(logger, key);
            }
            else
            {
                HostingLog.UnknownSettingNear(logger, key, nearest);
            }
        }
    }
}
