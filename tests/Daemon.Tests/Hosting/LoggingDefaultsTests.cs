using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// The built-in logging levels (docs/configuration.md): the framework's warnings reach the journal, its information
/// does not; ASP.NET Core's request diagnostics are off (while their category is enabled at any level, ASP.NET Core
/// starts an Activity and a log scope for every request), and a setting turns them on.
/// </summary>
public sealed class LoggingDefaultsTests
{
    private const string RequestDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task Defaults_RequestDiagnosticsOff_FrameworkWarningsOn()
    {
        // The device's default level: the test host's own (Warning) would hide what the framework's rule does.
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Settings["Logging:LogLevel:Default"] = "Information");
        ILoggerFactory loggers = daemon.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Provisioning.Daemon.Engine.ProvisioningEngine").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task RequestDiagnostics_ASettingTurnsThemOn()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Settings[$"Logging:LogLevel:{RequestDiagnostics}"] = "Information");
        ILoggerFactory loggers = daemon.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Information));
    }
}
