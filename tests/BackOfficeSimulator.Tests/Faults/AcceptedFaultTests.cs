using System.Net;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Faults;

/// <summary>202 answers and their operations.</summary>
public sealed class AcceptedFaultTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Accepted_PolledNTimes_AnswersProvisioningOnTheNthPoll(int polls)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.AcceptedAfter(polls, retryAfter: 2));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync(body: TestSimulator.RequestBody(labels: "[\"cobalt\"]"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), accepted.Headers.RetryAfter?.Delta);
        string operation = (await accepted.JsonAsync()).GetProperty("operation").GetString()!;

        for (int i = 1; i < polls; i++)
        {
            using HttpResponseMessage stillPending = await client.GetAsync($"v1/operations/{operation}");
            Assert.Equal(HttpStatusCode.Accepted, stillPending.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), stillPending.Headers.RetryAfter?.Delta);
            Assert.Equal(operation, (await stillPending.JsonAsync()).GetProperty("operation").GetString());
        }

        using HttpResponseMessage done = await client.GetAsync($"v1/operations/{operation}");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var tokens = TestSimulator.Tokens(await done.JsonAsync());
        Assert.True(server.Devices.TryGet(TestSimulator.DeviceId, out SimulatedDevice? device));
        Assert.Equal("cobalt", Assert.Single(tokens).Label);
        Assert.Equal(device.KeysOf("cobalt"), tokens[0].Keys);
        Assert.Equal(polls, server.Requests.Count(r => r.Path == $"/v1/operations/{operation}"));
    }

    [Fact]
    public async Task Accepted_WithDateRetryAfter_SendsHttpDateOnEvery202()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.AcceptedAfter(2, retryAfter: 5, format: RetryAfterFormat.Date));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync();
        using HttpResponseMessage poll = await client.GetAsync($"v1/operations/{(await accepted.JsonAsync()).GetProperty("operation").GetString()}");

        Assert.Equal(TestSimulator.Start.AddSeconds(5), accepted.Headers.RetryAfter?.Date);
        Assert.Equal(HttpStatusCode.Accepted, poll.StatusCode);
        Assert.Equal(TestSimulator.Start.AddSeconds(5), poll.Headers.RetryAfter?.Date);
    }
}
