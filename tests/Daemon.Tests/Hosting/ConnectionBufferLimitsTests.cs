using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Hosting;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// The daemon's host bounds what a caller that stops reading can leave buffered (docs/architecture.md, "The queues"):
/// at Kestrel's defaults, WebSockets with events and WatchState streams that did not read took the daemon to its
/// heap limit (the AOT build under the unit's environment, 480 WebSockets and 512 watches, aborted within seconds).
/// </summary>
public sealed class ConnectionBufferLimitsTests
{
    [Fact]
    public void TheDaemonsHost_BoundsEveryConnectionsAndResponsesBuffers()
    {
        WebApplicationBuilder builder = DaemonHost.CreateBuilder([]);
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        KestrelServerLimits limits = services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        SocketTransportOptions transport = services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        Assert.Equal(ConnectionBufferLimits.MaxReadBytes, limits.MaxRequestBufferSize);
        Assert.Equal(ConnectionBufferLimits.MaxWriteBytes, limits.MaxResponseBufferSize);
        Assert.Equal(ConnectionBufferLimits.MaxReadBytes, transport.MaxReadBufferSize);
        Assert.Equal(ConnectionBufferLimits.MaxWriteBytes, transport.MaxWriteBufferSize);
        Assert.InRange(ConnectionBufferLimits.MaxReadBytes, 16_384 + 9, 64 * 1024); // an HTTP/2 frame fits
    }
}
