using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// The server half of the RFC 6455 opening handshake, read the way Thunder reads it: header names and values in
/// any case (Thunder's native client sends <c>Connection: UPGRADE</c> and <c>Upgrade: WEBSOCKET</c>), a
/// <c>Content-Length: 0</c> on the GET, and the subprotocol matched without regard to case but echoed as spelled.
/// </summary>
internal static class WebSocketHandshake
{
    public const string SupportedVersion = "13";

    // The JSON-RPC subprotocols Thunder callers offer; a caller may also offer none.
    private static readonly string[] Subprotocols = ["notification", "json", "jsonrpc", "text"];

    private static readonly byte[] KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8.ToArray();

    /// <summary>A GET that asks to become a WebSocket (<c>Connection: upgrade</c> and <c>Upgrade: websocket</c>, any case).</summary>
    public static bool IsUpgradeRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && HasToken(request.Headers.Connection, "upgrade")
        && HasToken(request.Headers.Upgrade, "websocket");

    public static bool OffersSupportedVersion(HttpRequest request) => HasToken(request.Headers.SecWebSocketVersion, SupportedVersion);

    /// <summary>The Sec-WebSocket-Key when it is what RFC 6455 requires: 16 bytes in base64.</summary>
    public static bool TryGetKey(HttpRequest request, [NotNullWhen(true)] out string? key)
    {
        key = request.Headers.SecWebSocketKey.Count == 1 ? request.Headers.SecWebSocketKey[0]?.Trim() : null;
        Span<byte> decoded = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    /// <summary>
    /// The first offered subprotocol the bridge speaks, spelled as the caller spelled it (Thunder echoes
    /// <c>JSON</c> to a client that offered <c>JSON</c>); null when none is offered or none is known.
    /// </summary>
    public static string? ChooseSubprotocol(HttpRequest request, out bool offeredAny)
    {
        offeredAny = false;
        foreach (string? value in request.Headers.SecWebSocketProtocol)
        {
            foreach (string offered in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                offeredAny = true;
                if (Subprotocols.Contains(offered, StringComparer.OrdinalIgnoreCase))
                {
                    return offered;
                }
            }
        }

        return null;
    }

    /// <summary>Sec-WebSocket-Accept for a key: base64(SHA-1(key + the RFC 6455 GUID)).</summary>
    [SuppressMessage("Security", "CA5350", Justification = "RFC 6455 fixes SHA-1 for the handshake; it proves the server read the key and protects nothing.")]
    public static string AcceptFor(string key)
    {
        int keyLength = Encoding.ASCII.GetByteCount(key);
        Span<byte> input = stackalloc byte[keyLength + KeyGuid.Length];
        Encoding.ASCII.GetBytes(key, input);
        KeyGuid.CopyTo(input[keyLength..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        return Convert.ToBase64String(hash);
    }

    private static bool HasToken(StringValues values, string token)
    {
        foreach (string? value in values)
        {
            foreach (string part in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
