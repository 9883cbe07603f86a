using System.Net;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Faults;

/// <summary>Reset and truncated answers, seen by a real HttpClient.</summary>
public sealed class ConnectionFaultTests
{
    [Fact]
    public async Task Reset_ClientSeesAnErrorAndNoAnswer()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.ResetConnection());
        using HttpClient client = TestSimulator.Client(server);

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => client.ProvisionAsync());

        Assert.True(error is HttpRequestException or IOException, error.ToString());
        // The client may see the reset before the server has logged how the request ended.
        RecordedRequest request = Assert.Single(await server.WaitForLogAsync(log => log.All(r => r.Outcome != RequestOutcome.Pending)));
        Assert.Equal(RequestOutcome.Reset, request.Outcome);
        Assert.Equal("reset", request.Answer);
        Assert.Equal(0, request.Status);
    }

    [Fact]
    public async Task Reset_OnAKeepAliveConnection_IsNotHiddenByAClientRetry()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);
        using (HttpResponseMessage warmUp = await client.ProvisionAsync())
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        server.Faults.Add(FaultSpec.ResetConnection());
        await Assert.ThrowsAsync<HttpRequestException>(() => client.ProvisionAsync());
        using HttpResponseMessage after = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        IReadOnlyList<RecordedRequest> log = await server.WaitForLogAsync(log => log.Count == 3 && log.All(r => r.Outcome != RequestOutcome.Pending));
        Assert.Equal(["200", "reset", "200"], log.Select(r => r.Answer));
    }

    [Fact]
    public async Task Truncated_ClientSeesHeadersThenAnErrorReadingTheBody()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.TruncatedBody());
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.SendAsync(TestSimulator.Provision(), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        long declared = response.Content.Headers.ContentLength!.Value;
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());

        Assert.True(error is HttpRequestException or IOException, error.ToString());
        Assert.True(declared > 100);
        RecordedRequest request = (await server.WaitForLogAsync(l => l[0].Outcome != RequestOutcome.Pending))[0];
        Assert.Equal(RequestOutcome.Truncated, request.Outcome);
        Assert.Equal("truncated", request.Answer);
    }

    [Fact]
    public async Task Truncated_BufferedRead_ThrowsHttpRequestException()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.TruncatedBody());
        using HttpClient client = TestSimulator.Client(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ProvisionAsync());
    }
}
