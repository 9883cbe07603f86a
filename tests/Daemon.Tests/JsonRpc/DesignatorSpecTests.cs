namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "Method designators": one test per line.</summary>
public sealed class DesignatorSpecTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private BridgeHost Host => fixture.Host;

    [Theory]
    [InlineData("Provisioning.1.exists")]
    [InlineData("Provisioning.exists")]
    public async Task Form_CallsignVersionMethod_VersionDefaultsTo1(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method, 3, """{"method":"provision"}"""));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true", 3), body);
    }

    [Theory]
    [InlineData("Provisioning.1.Exists", -32601, "Unknown method.")]
    [InlineData("PROVISIONING.1.exists", -32603, "Could not access requested service")]
    public async Task CaseSensitive_CallsignAndMethod(string method, int code, string message)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method, 4, """{"method":"provision"}"""));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(code, message, 4), body);
    }

    [Theory]
    [InlineData("Provisioning.2.state")]
    [InlineData("Provisioning.0.state")]
    [InlineData("Provisioning.99999999999.state")]
    public async Task Version2_Error32602_RequestedVersionNotSupported(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(-32602, "Requested version is not supported."), body);
    }

    [Theory]
    [InlineData("Provisioning.1.nope")]
    [InlineData("Provisioning.1.Provision")]
    [InlineData("Provisioning.1.provisioningchange")]
    [InlineData("Provisioning.1.")]
    public async Task UnknownMethod_Error32601(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(-32601, "Unknown method."), body);
    }

    [Theory]
    [InlineData("Nope.1.state")]
    [InlineData("provisioning.1.state")]
    [InlineData("Provisioning.x.1.state")]
    public async Task UnknownCallsign_Error32603(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(-32603, "Could not access requested service"), body);
    }

    [Fact]
    public async Task UnknownCallsign_OnProvisioningPath_Error32603()
    {
        (int status, string body) = await Host.PostAsync(Requests.Call("Nope.1.exists"), "jsonrpc/Provisioning");
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(-32603, "Could not access requested service"), body);
    }

    [Theory]
    [InlineData("Provisioning.1.exists@0")]
    [InlineData("Provisioning.1.exists@whatever")]
    [InlineData("exists@3")]
    public async Task TrailingAtIndex_IgnoredByMembersWithoutOne(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call(method, 5, """{"method":"id"}"""), "jsonrpc/Provisioning");
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true", 5), body);
    }

    [Theory]
    [InlineData("provision", "true")]
    [InlineData("index", "true")]
    [InlineData("id", "true")]
    [InlineData("state", "true")]
    [InlineData("register", "true")]
    [InlineData("unregister", "true")]
    [InlineData("exists", "true")]
    [InlineData("nope", "false")]
    [InlineData("Provision", "false")]
    [InlineData("provisioningchange", "false")]
    public async Task BuiltinExists_AnswersTrueOrFalse(string name, string expected)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call("Provisioning.1.exists", 6, $$"""{"method":"{{name}}"}"""));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result(expected, 6), body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("""{"method":5}""")]
    [InlineData("[\"provision\"]")]
    public async Task BuiltinExists_WithoutMethodString_Error32602(string? parameters)
    {
        (int status, string body) = await Host.PostAsync(Requests.Call("Provisioning.1.exists", 6, parameters));
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32602, "Invalid params.", 6);
    }
}
