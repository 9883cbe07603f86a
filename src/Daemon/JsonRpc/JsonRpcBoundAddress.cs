using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Where the bridge really listens once the server has started (port 0 resolved).</summary>
internal static class JsonRpcBoundAddress
{
    /// <summary>The bridge's base address, e.g. http://127.0.0.1:9998/, or null when it is disabled.</summary>
    public static Uri? Of(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Where(address => address.StartsWith("http://", StringComparison.Ordinal) && !address.StartsWith("http://unix:", StringComparison.Ordinal))
            .Select(address => new Uri(address.TrimEnd('/') + "/"))
            .FirstOrDefault();
}
