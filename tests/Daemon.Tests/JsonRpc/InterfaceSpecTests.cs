namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "The Provisioning interface": the lines that hold whatever the engine's state.</summary>
public sealed class InterfaceSpecTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private BridgeHost Host => fixture.Host;

    [Theory]
    [InlineData("Provisioning.1.id", "{}")]
    [InlineData("Provisioning.1.id", "\"WPE1\"")]
    [InlineData("Provisioning.1.state", "{}")]
    [InlineData("Provisioning.1.state", "[]")]
    [InlineData("Provisioning.1.state", "{\"id\":\"x\",\"status\":200,\"tokens\":[]}")]
    [InlineData("Provisioning.1.state", "0")]
    public async Task ReadOnlyProperty_AnyParamsButNull_Error2Unavailable(string method, string parameters)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method, 9, parameters));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(2, "ERROR_UNAVAILABLE", 9), body);
    }

    [Theory]
    [InlineData("""{"label":5}""", "label")]
    [InlineData("""{"label":true}""", "label")]
    [InlineData("""{"label":{}}""", "label")]
    [InlineData("""{"index":"1"}""", "index")]
    [InlineData("""{"index":1.5}""", "index")]
    [InlineData("""{"index":-1}""", "index")]
    [InlineData("""{"index":[1]}""", "index")]
    [InlineData("""[1]""", "params")]
    [InlineData("\"label\"", "params")]
    public async Task WrongParamType_Error32602_DataNamesTheMember(string parameters, string member)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call("Provisioning.1.index", 10, parameters));
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32602, "Invalid params.", 10);
        Assert.Contains(member, body[body.IndexOf("\"data\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public async Task ReadOnlyProperty_NoOrNullParams_AnswersValue(string? parameters)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call("Provisioning.1.id", 11, parameters));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("\"" + BridgeHost.DeviceId + "\"", 11), body);
    }

    [Theory]
    [InlineData("Provisioning.1.provision", null)]
    [InlineData("Provisioning.1.index", null)]
    [InlineData("Provisioning.1.index", """{"label":"netflix","index":1}""")]
    [InlineData("Provisioning.1.state", null)]
    public async Task InterfaceErrors_CodeAndName_NeverData(string method, string? parameters)
    {
        // No back office is configured in this daemon: the documented 2 ERROR_UNAVAILABLE, exactly.
        (int status, string body) = await Host.PostAsync(Requests.Call(method, 12, parameters));
        Assert.Equal(202, status);
        Assert.Equal("""{"jsonrpc":"2.0","id":12,"error":{"code":2,"message":"ERROR_UNAVAILABLE"}}""", body);
    }
}
