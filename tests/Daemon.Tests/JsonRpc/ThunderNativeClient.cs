using System.Text;
using System.Text.Json;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// Speaks on the wire as Thunder R4.4's native C++ client, <c>JSONRPC::LinkType&lt;Core::JSON::IElement&gt;</c> from
/// its websocket library (Source/websocket/JSONRPCLink.h, WebSocketLink.h and .cpp), does: the upgrade request byte
/// for byte (<c>Connection: UPGRADE</c>, <c>Upgrade: WEBSOCKET</c>, <c>Origin: 0.0.0.0</c>, subprotocol <c>JSON</c>,
/// <c>Content-Length: 0</c>, path <c>/jsonrpc/</c>), frames sent unmasked, a message longer than its 248-byte frame
/// payload sent as a text frame and continuation frames (with an empty final frame when it fills the last one
/// exactly), ids counted from 1 per connection, <c>register</c> with its spaced params, events recognised by the
/// <c>&lt;namespace&gt;.</c> prefix, and close and ping frames with an empty payload, unmasked.
/// </summary>
internal sealed class ThunderNativeClient : IAsyncDisposable
{
    /// <summary>Its socket's 256-byte send buffer less the 8 bytes its encoder keeps for the frame header.</summary>
    public const int FramePayload = 248;

    private readonly RawWebSocket _socket;
    private readonly Queue<string> _events = new();
    private uint _sequence;

    private ThunderNativeClient(RawWebSocket socket, string key)
    {
        _socket = socket;
        Key = key;
    }

    /// <summary>The local namespace its events arrive under, "temporary" plus a counter, as LinkType makes it.</summary>
    public string Namespace { get; init; } = "temporary1";

    public string Key { get; }

    public string HandshakeResponse => _socket.HandshakeResponse;

    /// <summary>The connection underneath, to read what the native client does not look at itself (a close frame's status).</summary>
    public RawWebSocket Socket => _socket;

    /// <summary>The upgrade request exactly as the native client writes it (THUNDER_ACCESS=127.0.0.1:9998).</summary>
    public static string UpgradeRequest(string key, string path = "/jsonrpc/", string protocol = "JSON") =>
        $"GET {path} HTTP/1.1\r\n" +
        "Host: 127.0.0.1\r\n" +
        "Connection: UPGRADE\r\n" +
        "Upgrade: WEBSOCKET\r\n" +
        "Origin: 0.0.0.0\r\n" +
        $"Sec-WebSocket-Key: {key}\r\n" +
        $"Sec-WebSocket-Protocol: {protocol}\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    /// <summary>
    /// Opens the link; <paramref name="path"/> is <c>/jsonrpc/</c> for a plain LinkType and <c>/jsonrpc/Provisioning.1</c>
    /// for a directed one, optionally with a <c>?token=</c> query. Checks the answer as the client does: 101 and the right accept key.
    /// </summary>
    public static async Task<ThunderNativeClient> ConnectAsync(Uri baseAddress, string path = "/jsonrpc/", string ns = "temporary1")
    {
        string key = RawWebSocket.NewKey();
        RawWebSocket socket = await RawWebSocket.OpenAsync(baseAddress, UpgradeRequest(key, path));
        var client = new ThunderNativeClient(socket, key) { Namespace = ns };
        Assert.True(socket.HandshakeStatus == 101, "upgrade refused: " + socket.HandshakeResponse);
        Assert.Contains($"\r\nSec-WebSocket-Accept: {RawWebSocket.AcceptFor(key)}\r\n", socket.HandshakeResponse, StringComparison.Ordinal);
        return client;
    }

    /// <summary>The message LinkType::Send builds: jsonrpc, id, method, then params as the raw text it was given, if any.</summary>
    public string Message(string designator, string? parameters, out uint id)
    {
        id = ++_sequence;
        return parameters is null
            ? $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{designator}}"}"""
            : $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{designator}}","params":{{parameters}}}""";
    }

    /// <summary>Invoke/Get/Set: sends the call and returns the raw response with its id; events that come first are kept.</summary>
    public async Task<string> InvokeAsync(string designator, string? parameters = null)
    {
        string message = Message(designator, parameters, out uint id);
        await SendAsync(message);
        while (true)
        {
            string received = await ReceiveTextAsync();
            using var document = JsonDocument.Parse(received);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("id", out JsonElement answered) && answered.ValueKind == JsonValueKind.Number
                && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)))
            {
                Assert.Equal(id, answered.GetUInt32());
                return received;
            }

            _events.Enqueue(received);
        }
    }

    /// <summary>Subscribe: <c>register</c> with the params text LinkType writes, spaces included.</summary>
    public Task<string> SubscribeAsync(string designatorPrefix, string eventName) =>
        InvokeAsync(designatorPrefix + "register", $$"""{ "event": "{{eventName}}", "id": "{{Namespace}}"}""");

    public Task<string> UnsubscribeAsync(string designatorPrefix, string eventName) =>
        InvokeAsync(designatorPrefix + "unregister", $$"""{ "event": "{{eventName}}", "id": "{{Namespace}}"}""");

    /// <summary>
    /// The next event, whether it came before a response or comes now, checked against a namespace: this link's, or
    /// another LinkType's on the same connection (the native client shares one WebSocket per host and path).
    /// </summary>
    public async Task<string> NextEventAsync(string? ns = null, TimeSpan? timeout = null)
    {
        string text = _events.Count > 0 ? _events.Dequeue() : await ReceiveTextAsync(timeout);
        Assert.StartsWith($$"""{"jsonrpc":"2.0","method":"{{ns ?? Namespace}}.""", text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Sends a message as its encoder does: unmasked, cut into text and continuation frames of 248 bytes.</summary>
    public async Task SendAsync(string message)
    {
        byte[] payload = Encoding.UTF8.GetBytes(message);
        var wire = new MemoryStream();
        int offset = 0;
        bool first = true;
        while (true)
        {
            int length = Math.Min(FramePayload, payload.Length - offset);

            // A frame that fills the payload space is not final: the encoder finishes the message with the next one.
            bool fin = length < FramePayload;
            wire.Write(RawWebSocket.Frame(first ? WebSocketFrame.Text : WebSocketFrame.Continuation, payload.AsSpan(offset, length), fin));
            offset += length;
            first = false;
            if (fin)
            {
                break;
            }
        }

        await _socket.SendRawAsync(wire.ToArray());
    }

    /// <summary>The next whole text message from the bridge; pongs and other control frames are skipped.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            WebSocketFrame frame = await _socket.ReceiveMessageAsync(timeout) ?? throw new IOException("the bridge ended the connection");
            Assert.NotEqual(WebSocketFrame.Close, frame.Opcode);
            if (frame.Opcode == WebSocketFrame.Text)
            {
                return frame.PayloadText;
            }
        }
    }

    /// <summary>Ping(): <c>89 00</c>, unmasked; returns the bridge's answer frame.</summary>
    public async Task<WebSocketFrame?> PingAsync()
    {
        await _socket.SendRawAsync(new byte[] { 0x89, 0x00 });
        return await _socket.ReceiveFrameAsync();
    }

    /// <summary>Close(): <c>88 00</c>, unmasked; returns the bridge's close frame, then whether it ended the connection.</summary>
    public async Task<(WebSocketFrame? Close, bool Ended)> CloseAsync()
    {
        await _socket.SendRawAsync(new byte[] { 0x88, 0x00 });
        WebSocketFrame? close = await _socket.ReceiveFrameAsync();
        bool ended = await _socket.ReceiveFrameAsync(TimeSpan.FromSeconds(10)) is null;
        return (close, ended);
    }

    public ValueTask DisposeAsync() => _socket.DisposeAsync();
}
