using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Hosting;

/// <summary>
/// What a caller that stops reading, or sends ahead of what the daemon reads, may leave buffered in the GC heap: per
/// connection on every listener, what it sent and the daemon has not read yet, and what the daemon wrote and it
/// has not taken yet; per response (an HTTP/1.1 request's, an HTTP/2 call's), what waits to be written. At
/// Kestrel's defaults (1 MiB read, 64 KiB written per connection and per response) 480 WebSockets that registered
/// for events and 512 WatchState streams, none of them reading, made the daemon reach the unit's heap limit within
/// seconds of state changes. The daemon's answers, notifications and states are far smaller than these limits; a
/// larger one (a key) waits until the caller reads (backpressure), it is never refused. The read side holds an
/// HTTP/2 frame of 16 KiB and the request head's 8 KiB with room to spare.
/// </summary>
internal sealed class ConnectionBufferLimits : IConfigureOptions<KestrelServerOptions>, IConfigureOptions<SocketTransportOptions>
{
    public const int MaxReadBytes = 20 * 1024;

    public const int MaxWriteBytes = 8 * 1024;

    public void Configure(KestrelServerOptions options)
    {
        options.Limits.MaxRequestBufferSize = MaxReadBytes;
        options.Limits.MaxResponseBufferSize = MaxWriteBytes;
    }

    public void Configure(SocketTransportOptions options)
    {
        options.MaxReadBufferSize = MaxReadBytes;
        options.MaxWriteBufferSize = MaxWriteBytes;
    }
}
