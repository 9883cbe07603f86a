using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Authorization;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Adds the bridge's listeners to Kestrel, HTTP/1.1 each: TCP on JsonRpc:Url (loopback unless allowed) and the Unix
/// socket JsonRpc:SocketPath when set. The gate identifies each connection's caller for its transport.
/// </summary>
internal sealed class JsonRpcKestrelSetup(IOptions<JsonRpcOptions> options, JsonRpcConnectionGate gate, ILogger<JsonRpcKestrelSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        JsonRpcOptions value = options.Value;
        if (value.SocketEnabled)
        {
            kestrel.ListenUnixSocket(value.SocketPath!, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => gate.Wrap(next, CallerTransport.JsonRpcSocket));
            });
        }

        if (!value.Enabled || !JsonRpcEndpointAddress.TryParse(value.Url!, out IPEndPoint? endPoint, out _))
        {
            if (!value.SocketEnabled)
            {
                JsonRpcLog.Disabled(logger);
            }

            return;
        }

        kestrel.Listen(endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => gate.Wrap(next, CallerTransport.JsonRpcTcp));
        });
    }
}
