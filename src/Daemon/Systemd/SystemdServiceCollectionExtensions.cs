namespace Provisioning.Daemon.Systemd;

internal static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// STATUS= and WATCHDOG= on top of AddSystemd's notifier (READY=1 after every hosted service and the
    /// listeners started, STOPPING=1 on shutdown). Registered after the engine so they stop before it.
    /// </summary>
    public static IServiceCollection AddSystemdNotifications(this IServiceCollection services)
    {
        services.AddHostedService<SystemdStatusReporter>();
        services.AddHostedService<SystemdWatchdog>();
        services.AddHostedService<EngineTestHookInstaller>();
        return services;
    }
}
