using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// The built-in logging levels (docs/configuration.md): the framework's warnings reach the journal; ASP.NET Core's
/// request diagnostics are off, so a request starts no Activity and no log scope, and a setting turns them on.
/// </summary>
public sealed class LoggingDefaultsTests
{
    private const string RequestDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task Defaults_RequestDiagnosticsOff_FrameworkWarningsOn()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync();
        ILoggerFactory loggers = daemon.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task RequestDiagnostics_ASettingTurnsThemOn()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Settings[$"Logging:LogLevel:{RequestDiagnostics}"] = "Information");
        ILoggerFactory loggers = daemon.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger(RequestDiagnostics).IsEnabled(LogLevel.Information));
    }
}
