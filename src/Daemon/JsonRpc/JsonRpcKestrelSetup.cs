using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Adds the bridge's own TCP listener (HTTP/1.1, loopback unless allowed) to Kestrel.</summary>
internal sealed class JsonRpcKestrelSetup(IOptions<JsonRpcOptions> options, JsonRpcConnectionGate gate, ILogger<JsonRpcKestrelSetup> logger) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        JsonRpcOptions value = options.Value;
        if (!value.Enabled || !JsonRpcEndpointAddress.TryParse(value.Url!, out IPEndPoint? endPoint, out _))
        {
            JsonRpcLog.Disabled(logger);
            return;
        }

        JsonRpcLog.Listening(logger, endPoint);

        kestrel.Listen(endPoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(gate.Wrap);
        });
    }
}
