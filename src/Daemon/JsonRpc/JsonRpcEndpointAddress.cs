using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Turns JsonRpc:Url into the one TCP endpoint Kestrel listens on.</summary>
internal static class JsonRpcEndpointAddress
{
    public static bool TryParse(string url, [NotNullWhen(true)] out IPEndPoint? endPoint, [NotNullWhen(false)] out string? problem)
    {
        endPoint = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            problem = "must be an absolute http:// URL such as http://127.0.0.1:9998 (or empty to disable the bridge).";
            return false;
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
        {
            problem = "must not have a path or query; the bridge serves /jsonrpc.";
            return false;
        }

        IPAddress? address = uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns
            ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? parsed) ? parsed : null;
        if (address is null)
        {
            problem = "must name an IP address or localhost, not a host name.";
            return false;
        }

        endPoint = new IPEndPoint(address, uri.Port);
        problem = null;
        return true;
    }
}
