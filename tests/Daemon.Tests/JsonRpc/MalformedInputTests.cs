using System.Net.WebSockets;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>The malformed corpus over both transports: each bad request gets its specified answer and the daemon stays up.</summary>
public sealed class MalformedInputTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private BridgeHost Host => fixture.Host;

    [Fact]
    public void Corpus_HasAtLeast200BadRequests() => Assert.True(MalformedCorpus.All.Count >= 200, $"{MalformedCorpus.All.Count} cases");

    [Fact]
    public async Task Corpus_OverHttp_EachGetsSpecifiedAnswer_DaemonStaysUp()
    {
        List<string> failures = [];
        foreach (MalformedCase bad in MalformedCorpus.All)
        {
            using var content = new ByteArrayContent(bad.Body);
            using HttpResponseMessage response = await Host.Http.PostAsync("jsonrpc", content);
            string answer = await response.Content.ReadAsStringAsync();
            try
            {
                Assert.Equal(202, (int)response.StatusCode);
                bad.Check(answer);
            }
            catch (Xunit.Sdk.XunitException exception)
            {
                failures.Add($"{bad.Name}: {exception.Message}");
            }
        }

        Assert.Empty(failures);
        (int status, string body) = await Host.PostAsync(Requests.ExistsProvision);
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true"), body);
    }

    [Fact]
    public async Task Corpus_OverOneWebSocket_EachGetsSpecifiedAnswer_ValidCallStillWorks()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        List<string> failures = [];
        foreach (MalformedCase bad in MalformedCorpus.All.Where(c => !c.HttpOnly))
        {
            await socket.SendAsync(bad.Body, WebSocketMessageType.Text, true, CancellationToken.None);
            string answer = await socket.ReceiveTextAsync();
            try
            {
                bad.Check(answer);
            }
            catch (Xunit.Sdk.XunitException exception)
            {
                failures.Add($"{bad.Name}: {exception.Message}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(Requests.Result("true", 77), await socket.CallAsync(Requests.Call("Provisioning.1.exists", 77, """{"method":"provision"}""")));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"id"}}""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task BinaryFrame_Error32600_SocketStaysUsable(string payload)
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes(payload), WebSocketMessageType.Binary, true, CancellationToken.None);
        Requests.AssertErrorWithData(await socket.ReceiveTextAsync(), -32600, "Invalid Request.", null);
        Assert.Equal(Requests.Result("true"), await socket.CallAsync(Requests.ExistsProvision));
    }

    [Fact]
    public async Task InvalidUtf8TextFrame_ClosedByProtocol1007_DaemonStaysUp()
    {
        using (ClientWebSocket socket = await Host.ConnectAsync())
        {
            await socket.SendAsync(new byte[] { (byte)'{', 0xff, (byte)'}' }, WebSocketMessageType.Text, true, CancellationToken.None);
            (WebSocketMessageType type, _) = await socket.ReceiveAsync();
            Assert.Equal(WebSocketMessageType.Close, type);
            Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, socket.CloseStatus);
        }

        using ClientWebSocket next = await Host.ConnectAsync();
        Assert.Equal(Requests.Result("true"), await next.CallAsync(Requests.ExistsProvision));
    }

    [Fact]
    public async Task FragmentedTextFrames_AssembledIntoOneRequest()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        byte[] request = Encoding.UTF8.GetBytes(Requests.ExistsProvision);
        await socket.SendAsync(request.AsMemory(0, 10), WebSocketMessageType.Text, false, CancellationToken.None);
        await socket.SendAsync(request.AsMemory(10), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal(Requests.Result("true"), await socket.ReceiveTextAsync());
    }

    [Theory]
    [InlineData((64 * 1024) + 1)]
    [InlineData(1024 * 1024)]
    public async Task HugeBody_OverHttp_Error32600(int size)
    {
        using var content = new ByteArrayContent(new byte[size]);
        using HttpResponseMessage response = await Host.Http.PostAsync("jsonrpc", content);
        Assert.Equal(202, (int)response.StatusCode);
        Requests.AssertErrorWithData(await response.Content.ReadAsStringAsync(), -32600, "Invalid Request.", null);
        (int status, _) = await Host.PostAsync(Requests.ExistsProvision);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task HugeChunkedBody_WithoutContentLength_Error32600()
    {
        using var content = new StreamContent(new MemoryStream(new byte[200 * 1024]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "jsonrpc") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await Host.Http.SendAsync(request);
        Assert.Equal(202, (int)response.StatusCode);
        Requests.AssertErrorWithData(await response.Content.ReadAsStringAsync(), -32600, "Invalid Request.", null);
    }

    [Fact]
    public async Task HugeFrame_OverWebSocket_Closed1009_DaemonStaysUp()
    {
        using (ClientWebSocket socket = await Host.ConnectAsync())
        {
            byte[] frame = new byte[1024 * 1024];
            frame.AsSpan().Fill((byte)'[');
            try
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The daemon may close before the whole frame is sent; the close status is what matters.
            }

            (WebSocketMessageType type, _) = await socket.ReceiveAsync();
            Assert.Equal(WebSocketMessageType.Close, type);
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        }

        using ClientWebSocket next = await Host.ConnectAsync();
        Assert.Equal(Requests.Result("true"), await next.CallAsync(Requests.ExistsProvision));
    }
}
