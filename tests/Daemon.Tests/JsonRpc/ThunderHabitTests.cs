using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// The other ways Thunder callers open a WebSocket or post a request, checked against Thunder's own server
/// (Source/websocket/WebSocketLink.cpp, Source/WPEFramework/PluginServer.cpp): header spellings, subprotocols in any
/// case, paths with a trailing slash, a version or more segments, masked and unmasked frames, HTTP/1.0 and
/// Connection: close. README, "Thunder callers' habits", lists each with its outcome.
/// </summary>
public sealed class ThunderHabitTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private static readonly byte[] MaskKey = [0x12, 0x34, 0x56, 0x78];

    private BridgeHost Host => fixture.Host;

    [Theory]
    [InlineData("Connection: Upgrade", "Upgrade: websocket")]
    [InlineData("Connection: UPGRADE", "Upgrade: WEBSOCKET")]
    [InlineData("Connection: keep-alive, Upgrade", "Upgrade: WebSocket")]
    [InlineData("connection: upgrade", "upgrade: websocket")]
    [InlineData("CONNECTION: Upgrade", "UPGRADE: websocket")]
    public async Task Upgrade_HeaderNamesAndValuesInAnyCase_101(string connection, string upgrade)
    {
        await using RawWebSocket socket = await OpenAsync("/jsonrpc", $"{connection}\r\n{upgrade}\r\nSec-WebSocket-Version: 13\r\n");
        Assert.Equal(101, socket.HandshakeStatus);
        await AssertBothMaskingsAnsweredAsync(socket, "Provisioning.1.id");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("notification", "notification")]
    [InlineData("json", "json")]
    [InlineData("jsonrpc", "jsonrpc")]
    [InlineData("text", "text")]
    [InlineData("NOTIFICATION", "NOTIFICATION")]
    [InlineData("JSON", "JSON")]
    [InlineData("JsonRpc", "JsonRpc")]
    [InlineData("Text", "Text")]
    [InlineData("graphql-ws, Json", "Json")]
    public async Task Subprotocol_MatchedInAnyCase_EchoedAsSpelled(string? offered, string? echoed)
    {
        string header = offered is null ? string.Empty : $"Sec-WebSocket-Protocol: {offered}\r\n";
        await using RawWebSocket socket = await OpenAsync("/jsonrpc", $"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n{header}");
        Assert.Equal(101, socket.HandshakeStatus);
        if (echoed is null)
        {
            Assert.DoesNotContain("Sec-WebSocket-Protocol", socket.HandshakeResponse, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Contains($"\r\nSec-WebSocket-Protocol: {echoed}\r\n", socket.HandshakeResponse, StringComparison.Ordinal);
        }

        await AssertBothMaskingsAnsweredAsync(socket, "Provisioning.1.id");
    }

    [Theory]
    [InlineData("/jsonrpc", "Provisioning.1.id")]
    [InlineData("/jsonrpc/", "Provisioning.1.id")]
    [InlineData("/jsonrpc/Provisioning", "id")]
    [InlineData("/jsonrpc/Provisioning/", "1.id")]
    [InlineData("/jsonrpc/Provisioning.1", "Provisioning.1.id")]
    [InlineData("/jsonrpc/Provisioning/anything/else", "id")]
    [InlineData("/jsonrpc?token=ignored-without-tokens", "Provisioning.1.id")]
    public async Task Upgrade_PathsThunderServesProvisioningOn_101(string path, string method)
    {
        await using RawWebSocket socket = await OpenAsync(path, "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: jsonrpc\r\n");
        Assert.Equal(101, socket.HandshakeStatus);
        await AssertBothMaskingsAnsweredAsync(socket, method);
    }

    [Theory]
    [InlineData("/jsonrpc/Provisioning.2", 400)]
    [InlineData("/jsonrpc/Provisioning.x", 400)]
    [InlineData("/jsonrpc/Nope", 404)]
    [InlineData("/jsonrpc/provisioning", 404)]
    public async Task Upgrade_OtherVersionOrCallsign_RefusedAsThunderDoes(string path, int status)
    {
        await using RawWebSocket socket = await OpenAsync(path, "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
        Assert.Equal(status, socket.HandshakeStatus);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sec-WebSocket-Version: 8\r\n")]
    public async Task Upgrade_WithoutVersion13_426NamingVersion13(string version)
    {
        await using RawWebSocket socket = await OpenAsync("/jsonrpc", $"Connection: Upgrade\r\nUpgrade: websocket\r\n{version}");
        Assert.Equal(426, socket.HandshakeStatus);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", socket.HandshakeResponse, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Sec-WebSocket-Key: not-base64\r\n")]
    [InlineData("Sec-WebSocket-Key: AAAA\r\n")]
    public async Task Upgrade_BadKey_400(string key)
    {
        await using RawWebSocket socket = await RawWebSocket.OpenAsync(
            Host.BaseAddress,
            $"GET /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n{key}\r\n");
        Assert.Equal(400, socket.HandshakeStatus);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData(" \t ")]
    public async Task Frame_TrailingWhitespace_Answered(string trailer)
    {
        await using RawWebSocket socket = await OpenAsync("/jsonrpc", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
        await socket.SendFrameAsync(WebSocketFrame.Text, Encoding.UTF8.GetBytes(Requests.ExistsProvision + trailer));
        Assert.Equal(Requests.Result("true"), (await socket.ReceiveMessageAsync())?.PayloadText);
    }

    [Fact]
    public async Task Frames_PingAndBinaryUnmaskedOrMasked_PongAndError_SocketStaysOpen()
    {
        await using RawWebSocket socket = await OpenAsync("/jsonrpc", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
        foreach (byte[]? mask in new[] { null, MaskKey })
        {
            await socket.SendFrameAsync(WebSocketFrame.Ping, "hi"u8.ToArray(), maskKey: mask);
            WebSocketFrame? pong = await socket.ReceiveFrameAsync();
            Assert.Equal(WebSocketFrame.Pong, pong?.Opcode);
            Assert.Equal("hi", pong?.PayloadText);

            await socket.SendFrameAsync(WebSocketFrame.Binary, Encoding.UTF8.GetBytes(Requests.ExistsProvision), maskKey: mask);
            Requests.AssertErrorWithData((await socket.ReceiveMessageAsync())!.PayloadText, -32600, "Invalid Request.", null);
        }

        await AssertBothMaskingsAnsweredAsync(socket, "Provisioning.1.id");
    }

    [Fact]
    public async Task Frames_FragmentedMixingMaskedAndUnmasked_OneRequest()
    {
        await using RawWebSocket socket = await OpenAsync("/jsonrpc", "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
        byte[] request = Encoding.UTF8.GetBytes(Requests.ExistsProvision);
        var wire = new MemoryStream();
        wire.Write(RawWebSocket.Frame(WebSocketFrame.Text, request.AsSpan(0, 10), fin: false));
        wire.Write(RawWebSocket.Frame(WebSocketFrame.Ping, [], maskKey: MaskKey));
        wire.Write(RawWebSocket.Frame(WebSocketFrame.Continuation, request.AsSpan(10, 20), fin: false, maskKey: MaskKey));
        wire.Write(RawWebSocket.Frame(WebSocketFrame.Continuation, request.AsSpan(30), fin: false));
        wire.Write(RawWebSocket.Frame(WebSocketFrame.Continuation, [], fin: true));
        await socket.SendRawAsync(wire.ToArray());

        Assert.Equal(WebSocketFrame.Pong, (await socket.ReceiveFrameAsync())?.Opcode);
        Assert.Equal(Requests.Result("true"), (await socket.ReceiveMessageAsync())?.PayloadText);
    }

    [Theory]
    [InlineData("POST /jsonrpc HTTP/1.0\r\nContent-Length: {0}\r\n\r\n{1}")]
    [InlineData("POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {0}\r\n\r\n{1}")]
    [InlineData("POST /jsonrpc/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {0}\r\n\r\n{1}")]
    [InlineData("POST /jsonrpc/Provisioning.1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {0}\r\n\r\n{1}")]
    [InlineData("POST /jsonrpc/Provisioning/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {0}\r\n\r\n{1}")]
    [InlineData("POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n{0:x}\r\n{1}\r\n0\r\n\r\n")]
    public async Task HttpPost_HabitsOfThunderCallers_200(string template)
    {
        string request = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Encoding.UTF8.GetByteCount(Requests.ExistsProvision), Requests.ExistsProvision);
        string response = await RawHttp.ExchangeAsync(Host.BaseAddress, request);
        Assert.Equal(200, RawHttp.StatusOf(response));
        Assert.Equal(Requests.Result("true"), RawHttp.BodyOf(response));
    }

    [Fact]
    public async Task HttpPost_Expect100Continue_ContinueThenAnswer()
    {
        string request = $"POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: {Requests.ExistsProvision.Length}\r\n\r\n";
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Host.BaseAddress.Host, Host.BaseAddress.Port);
        System.Net.Sockets.NetworkStream stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        byte[] buffer = new byte[256];
        int read = await stream.ReadAsync(buffer, timeout.Token);
        Assert.StartsWith("HTTP/1.1 100 Continue", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Requests.ExistsProvision), timeout.Token);
        string response = await RawHttp.ReadResponseAsync(stream, timeout.Token);
        Assert.Equal(200, RawHttp.StatusOf(response));
        Assert.Equal(Requests.Result("true"), RawHttp.BodyOf(response));
    }

    [Fact]
    public async Task HttpPost_Version2OfProvisioningInThePath_400AsThunderAnswers()
    {
        string response = await RawHttp.ExchangeAsync(
            Host.BaseAddress,
            $"POST /jsonrpc/Provisioning.2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {Requests.ExistsProvision.Length}\r\n\r\n{Requests.ExistsProvision}");
        Assert.Equal(400, RawHttp.StatusOf(response));
    }

    private Task<RawWebSocket> OpenAsync(string path, string headers) =>
        RawWebSocket.OpenAsync(Host.BaseAddress, $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-WebSocket-Key: {RawWebSocket.NewKey()}\r\n{headers}\r\n");

    private static async Task AssertBothMaskingsAnsweredAsync(RawWebSocket socket, string method)
    {
        foreach ((byte[]? mask, uint id) in new[] { ((byte[]?)null, 41u), (MaskKey, 42u) })
        {
            await socket.SendFrameAsync(WebSocketFrame.Text, Encoding.UTF8.GetBytes(Requests.Call(method, id)), maskKey: mask);
            Assert.Equal($$"""{"jsonrpc":"2.0","id":{{id}},"result":"{{BridgeHost.DeviceId}}"}""", (await socket.ReceiveMessageAsync())?.PayloadText);
        }
    }
}
