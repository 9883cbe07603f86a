using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "Transports": one test per line.</summary>
public sealed class TransportSpecTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private BridgeHost Host => fixture.Host;

    [Theory]
    [InlineData("jsonrpc")]
    [InlineData("jsonrpc/Provisioning")]
    public async Task HttpPost_OnJsonrpcAndJsonrpcProvisioning_Answers(string path)
    {
        (int status, string body) = await Host.PostAsync(Requests.ExistsProvision, path);
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true"), body);
    }

    [Theory]
    [InlineData("exists")]
    [InlineData("1.exists")]
    [InlineData("Provisioning.1.exists")]
    [InlineData("Provisioning.exists")]
    public async Task ProvisioningPath_CallsignLeftOut_Works(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method, 7, """{"method":"state"}"""), "jsonrpc/Provisioning");
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true", 7), body);
    }

    [Theory]
    [InlineData("jsonrpc/Nope")]
    [InlineData("jsonrpc/provisioning")]
    [InlineData("jsonrpc/Controller")]
    public async Task OtherCallsignPath_Http404_EmptyBody(string path)
    {
        (int status, string body) = await Host.PostAsync(Requests.ExistsProvision, path);
        Assert.Equal(404, status);
        Assert.Equal(string.Empty, body);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task ContentType_NotChecked_AnyOrNoneWorks(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Requests.ExistsProvision));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using HttpResponseMessage response = await Host.Http.PostAsync("jsonrpc", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Requests.Result("true"), await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HttpStatus_200WithResult_202WithError()
    {
        (int okStatus, string okBody) = await Host.PostAsync(Requests.ExistsProvision);
        (int errorStatus, string errorBody) = await Host.PostAsync(Requests.Call("Provisioning.1.nope"));
        Assert.Equal(200, okStatus);
        Assert.Contains("\"result\":", okBody, StringComparison.Ordinal);
        Assert.Equal(202, errorStatus);
        Assert.Equal(Requests.Error(-32601, "Unknown method."), errorBody);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task NonPostMethod_Http405(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "jsonrpc");
        using HttpResponseMessage response = await Host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task EmptyPostBody_Http400()
    {
        (int status, _) = await Host.PostAsync(string.Empty);
        Assert.Equal(400, status);
    }

    [Theory]
    [InlineData("jsonrpc", "notification")]
    [InlineData("jsonrpc", "json")]
    [InlineData("jsonrpc/Provisioning", "jsonrpc")]
    [InlineData("jsonrpc/Provisioning", "text")]
    public async Task WebSocket_KnownSubprotocol_EchoedAndServes(string path, string subprotocol)
    {
        using ClientWebSocket socket = await Host.ConnectAsync(path, subprotocol);
        Assert.Equal(subprotocol, socket.SubProtocol);
        Assert.Equal(Requests.Result("true"), await socket.CallAsync(Requests.ExistsProvision));
    }

    [Fact]
    public async Task WebSocket_NoSubprotocolOffered_AcceptedWithoutHeader()
    {
        using ClientWebSocket socket = await Host.ConnectAsync(subprotocol: null);
        Assert.Null(socket.SubProtocol);
        Assert.Equal(Requests.Result("true"), await socket.CallAsync(Requests.ExistsProvision));
    }

    [Fact]
    public async Task WebSocket_OnlyUnknownSubprotocols_Refused400()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-ws");
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Host.WebSocketUri(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WebSocket_UnknownAndKnownOffered_KnownChosen()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-ws");
        socket.Options.AddSubProtocol("json");
        await socket.ConnectAsync(Host.WebSocketUri(), CancellationToken.None);
        Assert.Equal("json", socket.SubProtocol);
    }

    [Fact]
    public async Task WebSocket_OneJsonObjectPerTextFrame_EachAnswered()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        for (uint id = 1; id <= 3; id++)
        {
            await socket.SendAsync(Requests.Call("Provisioning.1.exists", id, """{"method":"index"}"""));
        }

        for (uint id = 1; id <= 3; id++)
        {
            Assert.Equal(Requests.Result("true", id), await socket.ReceiveTextAsync());
        }
    }
}
