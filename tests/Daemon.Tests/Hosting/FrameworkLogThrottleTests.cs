using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Daemon.Common.Logging;
using Provisioning.Daemon.Hosting;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// The messages of categories that are not the daemon's own pass a burst per category and event and window; the
/// daemon's own pass as they are (their callers' doing is throttled where they are logged).
/// </summary>
public sealed class FrameworkLogThrottleTests
{
    private static readonly Action<ILogger, Exception?> QueueExceeded =
        LoggerMessage.Define(LogLevel.Critical, new EventId(60), "exceeded the output operations maximum queue size");

    private static readonly Action<ILogger, Exception?> NeverCompleted =
        LoggerMessage.Define(LogLevel.Critical, new EventId(23), "application never completed");

    private static readonly Action<ILogger, Exception?> Own = LoggerMessage.Define(LogLevel.Warning, new EventId(1003), "the daemon's own");

    [Fact]
    public void AFrameworkEventInAFlood_IsLoggedABurstAWindow_ThenCounted_WhileOtherEventsAndTheDaemonsOwnPass()
    {
        var time = new FakeTimeProvider();
        var collector = new FakeLogCollector();
        using var factory = new FrameworkLogThrottle(LoggerFactory.Create(logging => logging.AddProvider(new FakeLoggerProvider(collector))), time);
        ILogger http2 = factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Http2");
        ILogger kestrel = factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel");
        ILogger own = factory.CreateLogger("Provisioning.Daemon.Engine.ProvisioningEngine");

        for (int i = 0; i < 1000; i++)
        {
            QueueExceeded(http2, null);
            NeverCompleted(kestrel, null);
            Own(own, null);
        }

        Assert.Equal(LogThrottle.Burst, collector.GetSnapshot().Count(r => r.Category == "Microsoft.AspNetCore.Server.Kestrel.Http2"));
        Assert.Equal(LogThrottle.Burst, collector.GetSnapshot().Count(r => r.Category == "Microsoft.AspNetCore.Server.Kestrel"));
        Assert.Equal(1000, collector.GetSnapshot().Count(r => r.Id.Id == 1003));

        time.Advance(LogThrottle.Window);
        QueueExceeded(http2, null);
        FakeLogRecord leftOut = Assert.Single(collector.GetSnapshot(), r => r.Id.Id == 5300);
        Assert.Equal(typeof(FrameworkLogThrottle).FullName, leftOut.Category);
        Assert.Equal("990 more messages of event 60 were not logged: callers caused more than 10 in 00:01:00", leftOut.Message);
        Assert.Equal(LogThrottle.Burst + 1, collector.GetSnapshot().Count(r => r.Id.Id == 60));
    }

    [Fact]
    public void TheDaemonsHost_LogsThroughTheThrottle()
    {
        WebApplicationBuilder builder = DaemonHost.CreateBuilder([]);
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        Assert.IsType<FrameworkLogThrottle>(services.GetRequiredService<ILoggerFactory>());
    }
}
