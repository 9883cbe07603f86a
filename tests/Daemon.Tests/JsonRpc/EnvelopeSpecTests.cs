using System.Net.WebSockets;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "Envelope, ids, malformed input": one test per line.</summary>
public sealed class EnvelopeSpecTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private const string ExistsParams = "\"params\":{\"method\":\"id\"}";

    private BridgeHost Host => fixture.Host;

    [Theory]
    [InlineData("\"jsonrpc\":\"1.0\",")]
    [InlineData("\"jsonrpc\":2,")]
    [InlineData("")]
    public async Task JsonrpcMember_NotChecked_ResponseSays20(string jsonrpc)
    {
        (int status, string body) = await Host.PostAsync($$"""{{{jsonrpc}}"id":1,"method":"Provisioning.1.exists",{{ExistsParams}}}""");
        Assert.Equal(200, status);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":true}""", body);
    }

    [Theory]
    [InlineData("\"43\"", "43")]
    [InlineData("43", "43")]
    [InlineData("0", "0")]
    [InlineData("4294967295", "4294967295")]
    [InlineData("\"4294967295\"", "4294967295")]
    [InlineData("1e2", "100")]
    [InlineData("4.0", "4")]
    [InlineData("-0", "0")]
    [InlineData("42.000e0", "42")]
    [InlineData("0.0012e4", "12")]
    [InlineData("\"\\u0034\\u0033\"", "43")] // "43" written with escapes
    [InlineData("\"00000000000000000000043\"", "43")]
    public async Task Id_UnsignedOrNumericString_AnsweredAsNumber(string id, string answered)
    {
        (int status, string body) = await Host.PostAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"Provisioning.1.exists",{{ExistsParams}}}""");
        Assert.Equal(200, status);
        Assert.Equal($$"""{"jsonrpc":"2.0","id":{{answered}},"result":true}""", body);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("1.5")]
    [InlineData("-1")]
    [InlineData("4294967296")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("\"\"")]
    [InlineData("\"-4\"")]
    [InlineData("42.0000000000000000000000001")] // a fraction, however close to a whole number
    [InlineData("4294967295.00000001")]
    [InlineData("1e-400")]
    [InlineData("4294967295e1")]
    [InlineData("\"4294967296\"")]
    [InlineData("\"4 3\"")]
    public async Task Id_AnyOther_Error32600_IdNull(string id)
    {
        (int status, string body) = await Host.PostAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"Provisioning.1.exists",{{ExistsParams}}}""");
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32600, "Invalid Request.", null);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,")]
    [InlineData("{'id':1}")]
    [InlineData("   ")]
    [InlineData("{\"jsonrpc\":\"\\ud800\",\"id\":1,\"method\":\"Provisioning.1.id\"}")] // lone surrogates anywhere in the envelope
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Provisioning.1.id\",\"x\":\"\\udc00\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Provisioning.1.id\",\"x\":{\"y\":[\"\\udc00\"]}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"1\\ud800\",\"method\":\"Provisioning.1.id\"}")]
    public async Task NotJson_Error32700_IdNull_Http202(string request)
    {
        (int status, string body) = await Host.PostAsync(request);
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(-32700, "Parse error.", null), body);
    }

    [Theory]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Provisioning.1.id\"}]")]
    [InlineData("5")]
    [InlineData("\"Provisioning.1.id\"")]
    [InlineData("null")]
    public async Task NotAnObject_BatchIncluded_Error32600_IdNull_Http202(string request)
    {
        (int status, string body) = await Host.PostAsync(request);
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32600, "Invalid Request.", null);
    }

    [Fact]
    public async Task NotJsonAndNotObject_OverWebSocket_SocketStaysUsable()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        Assert.Equal(Requests.Error(-32700, "Parse error.", null), await socket.CallAsync("{{{"));
        Requests.AssertErrorWithData(await socket.CallAsync("[1,2]"), -32600, "Invalid Request.", null);
        Assert.Equal(Requests.Result("true", 2), await socket.CallAsync(Requests.Call("Provisioning.1.exists", 2, """{"method":"id"}""")));
    }

    [Fact]
    public async Task Notification_NoId_ExecutedNotAnswered_Http204()
    {
        using var content = new StringContent("""{"jsonrpc":"2.0","method":"Provisioning.1.exists","params":{"method":"id"}}""");
        using HttpResponseMessage response = await Host.Http.PostAsync("jsonrpc", content);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Notification_NoId_OverWebSocket_NeverAnswered()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"Controller.1.status"}""");

        // Frames come back in order, so the first frame being the next call's answer proves there was none before.
        Assert.Equal(Requests.Result("true", 8), await socket.CallAsync(Requests.Call("Provisioning.1.exists", 8, """{"method":"id"}""")));
    }

    [Fact]
    public async Task Notification_Executed_RegisterTakesEffect()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.SendAsync("""{"jsonrpc":"2.0","method":"Provisioning.1.register","params":{"event":"provisioningchange","id":"silent"}}""");
        Assert.Equal(Requests.Error(22, "Registration already done!!!.", 3), await socket.CallAsync(Requests.Register("silent", 3)));
    }

    [Fact]
    public async Task BodyOverMaximum_Error32600_NeverParsed()
    {
        string padding = new('x', 64 * 1024);
        (int status, string body) = await Host.PostAsync($$$"""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"id","pad":"{{{padding}}}"}}""");
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32600, "Invalid Request.", null);
    }

    [Fact]
    public async Task BodyJustUnderMaximum_Answered()
    {
        string head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Provisioning.1.exists\",\"params\":{\"method\":\"id\",\"pad\":\"";
        string padding = new('x', (64 * 1024) - head.Length - 3);
        string request = head + padding + "\"}}";
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(request));
        (int status, string body) = await Host.PostAsync(request);
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true"), body);
    }

    [Fact]
    public async Task NestedDeeperThanMaximum_Error32600()
    {
        // The envelope is level 1 and params level 2; 31 more arrays reach level 33.
        string deep = new string('[', 31) + new string(']', 31);
        (int status, string body) = await Host.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"id","deep":""" + deep + "}}");
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32600, "Invalid Request.", null);
    }

    [Fact]
    public async Task NestedExactlyMaximum_Answered()
    {
        string deep = new string('[', 30) + new string(']', 30);
        (int status, string body) = await Host.PostAsync("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"id","deep":""" + deep + "}}");
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true"), body);
    }

    [Fact]
    public async Task WebSocketFrameOverMaximum_Closed1009()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        byte[] frame = new byte[(64 * 1024) + 1];
        frame.AsSpan().Fill((byte)' ');
        await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
        (WebSocketMessageType type, _) = await socket.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }
}
