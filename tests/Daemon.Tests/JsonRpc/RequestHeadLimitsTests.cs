namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md: headers over 8 KiB (or 32 fields) are 431, a request line over 8 KiB is 414.</summary>
public sealed class RequestHeadLimitsTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private const string Body = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"provision"}}""";

    [Theory]
    [InlineData(8_100, 0, 200)]
    [InlineData(9_000, 0, 414)]
    [InlineData(0, 9_000, 431)]
    public async Task RequestLineAndHeaders_AreBoundedAsDocumented(int queryLength, int headerLength, int expected)
    {
        string query = queryLength == 0 ? string.Empty : "?" + new string('q', queryLength);
        string header = headerLength == 0 ? string.Empty : $"X-Pad: {new string('h', headerLength)}\r\n";
        string request = $"POST /jsonrpc{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n{header}Content-Length: {Body.Length}\r\n\r\n{Body}";

        string response = await RawHttp.ExchangeAsync(fixture.Host.BaseAddress, request);

        Assert.Equal(expected, RawHttp.StatusOf(response));
    }
}
