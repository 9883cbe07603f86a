using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Hosting;

/// <summary>
/// The request headers every listener accepts (the API's HTTP/2 and the bridge's HTTP/1.1 alike): 8 KiB in all, in
/// at most 32 fields. Kestrel keeps a request's headers, as strings of twice their size, for as long as its call or
/// WebSocket is open, and every connection of either listener may hold one or more: at Kestrel's defaults (32 KB)
/// the API's 512 calls alone could fill the unit's GC heap limit. The daemon's callers send a few short headers.
/// </summary>
internal sealed class RequestHeaderLimits : IConfigureOptions<KestrelServerOptions>
{
    public const int MaxTotalBytes = 8 * 1024;

    public const int MaxFields = 32;

    public void Configure(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestHeadersTotalSize = MaxTotalBytes;
        kestrel.Limits.MaxRequestHeaderCount = MaxFields;
        kestrel.Limits.MaxRequestLineSize = MaxTotalBytes;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = MaxTotalBytes;
    }
}
