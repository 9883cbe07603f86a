using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;

namespace Provisioning.Daemon.Systemd;

internal static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Under systemd (judged by <see cref="SystemdEnvironment"/>): the notifier and the lifetime of
    /// Microsoft.Extensions.Hosting.Systemd (READY=1 once every hosted service and listener started, STOPPING=1
    /// on SIGTERM) and the journal's log format (one line per message, `&lt;N&gt;` priority of its level).
    /// AddSystemd() is not used: it decides from the parent's process name, which ProtectProc=invisible hides.
    /// </summary>
    public static IServiceCollection AddSystemdService(this IServiceCollection services, SystemdEnvironment systemd)
    {
        if (!systemd.IsService)
        {
            return services;
        }

        services.Configure<ConsoleLoggerOptions>(options => options.FormatterName = ConsoleFormatterNames.Systemd);
        services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddSingleton<IHostLifetime, SystemdLifetime>();
        return services;
    }

    /// <summary>
    /// STATUS= and WATCHDOG= on top of the notifier. Registered after the engine so they stop before it.
    /// </summary>
    public static IServiceCollection AddSystemdNotifications(this IServiceCollection services)
    {
        services.AddHostedService<SystemdStatusReporter>();
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}
