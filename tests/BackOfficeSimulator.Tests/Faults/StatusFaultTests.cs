using System.Net;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Faults;

/// <summary>Status faults, repetition, targeting and the plan itself.</summary>
public sealed class StatusFaultTests
{
    [Fact]
    public async Task Status_Repeated3Times_Answers503ThreeTimesThen200()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.Answer(503, repeat: 3));
        using HttpClient client = TestSimulator.Client(server);

        List<int> statuses = [];
        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.ProvisionAsync();
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([503, 503, 503, 200], statuses);
        Assert.Equal(0, server.Faults.Count);
        Assert.Equal([FaultKind.Status, FaultKind.Status, FaultKind.Status, null], server.Requests.Select(r => r.Fault));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(410)]
    [InlineData(422)]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(200)]
    public async Task Status_AnyStatus_AnswersItWithErrorBody(int status)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = status, Error = "injected", Message = "told to" });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal("injected", await response.ErrorAsync(status));
    }

    [Fact]
    public async Task Status_WithRawBody_SendsItVerbatim()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = 502, Body = "<html>bad gateway</html>" });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("<html>bad gateway</html>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Target_PollOnlyFault_SkipsProvisionRequests()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { On = FaultTarget.Poll, Status = 500 }, FaultSpec.AcceptedAfter(1));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage accepted = await client.ProvisionAsync();
        string path = $"v1/operations/{(await accepted.JsonAsync()).GetProperty("operation").GetString()}";
        using HttpResponseMessage failedPoll = await client.GetAsync(path);
        using HttpResponseMessage poll = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failedPoll.StatusCode);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
    }

    [Fact]
    public async Task Target_DeviceFault_OnlyThatDeviceConsumesIt()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = 503, DeviceId = "WPE0000000000001" });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage other = await client.ProvisionAsync();
        using HttpResponseMessage target = await client.ProvisionAsync("WPE0000000000001");

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, target.StatusCode);
    }

    [Fact]
    public async Task Forever_AppliesUntilThePlanIsCleared()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(new FaultSpec { Status = 503, Forever = true });
        using HttpClient client = TestSimulator.Client(server);

        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await client.ProvisionAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        server.Faults.Clear();
        using HttpResponseMessage after = await client.ProvisionAsync();
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task InitialPlan_FromOptions_IsConsumedInOrder()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.Faults = [FaultSpec.Answer(500), FaultSpec.Answer(429)]);
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage first = await client.ProvisionAsync();
        using HttpResponseMessage second = await client.ProvisionAsync();
        using HttpResponseMessage third = await client.ProvisionAsync();

        Assert.Equal([500, 429, 200], new[] { first, second, third }.Select(r => (int)r.StatusCode));
    }

    [Fact]
    public void Add_InvalidFault_ThrowsNamingEveryProblemAndAddsNothing()
    {
        var plan = new FaultPlan();

        var error = Assert.Throws<ArgumentException>(() => plan.Add(
            FaultSpec.Answer(503),
            new FaultSpec { Status = 99, Repeat = 0, DelayMs = -1 }));

        Assert.Contains("Faults[1].Status", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faults[1].Repeat", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faults[1].DelayMs", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, plan.Count);
    }
}
