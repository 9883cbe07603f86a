using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// The built-in logging levels (docs/configuration.md): the framework's warnings reach the journal, its information
/// does not; ASP.NET Core's request diagnostics are off, and no setting turns them on (RequestDiagnostics).
/// </summary>
public sealed class LoggingDefaultsTests
{
    private const string RequestDiagnostics = Provisioning.Daemon.Hosting.RequestDiagnostics.Category;

    [Fact]
    public async Task Defaults_RequestDiagnosticsOff_FrameworkWarningsOn()
    {
        // The device's default level: the test host's own (Warning) would hide what the framework's rule does.
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Settings["Logging:LogLevel:Default"] = "Information");
        ILoggerFactory loggers = daemon.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing").IsEnabled(LogLevel.Information));

        // Kestrel's own warnings are a caller's doing (DaemonConfiguration); its errors still show.
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Error));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Provisioning.Daemon.Engine.ProvisioningEngine").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("Logging:LogLevel:" + RequestDiagnostics, "Information")]
    [InlineData("Logging:LogLevel:Microsoft.AspNetCore.Hosting", "Trace")]
    [InlineData("Logging:LogLevel:Microsoft", "Trace")]
    [InlineData("Logging:Console:LogLevel:" + RequestDiagnostics, "Trace")]
    [InlineData("Logging:Console:LogLevel:Default", "Trace")]
    [InlineData("Logging:LogLevel:" + RequestDiagnostics + "*", "Trace")] // longer than the category itself
    [InlineData("Logging:Console:LogLevel:*" + RequestDiagnostics, "Trace")]
    public async Task RequestDiagnostics_NoSettingTurnsThemOn(string key, string level)
    {
        // At Information they would log a WebSocket upgrade's URL, and with it the caller's ?token=.
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Settings[key] = level);
        ILoggerFactory loggers = daemon.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Critical));
        Assert.False(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Trace));
    }
}
