using System.Net;
using Microsoft.Extensions.Time.Testing;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Faults;

/// <summary>Retry-After in both forms, and injected delays on the fake clock.</summary>
public sealed class RetryAfterAndDelayTests
{
    [Fact]
    public async Task RetryAfter_Seconds_SendsDeltaSeconds()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.Answer(429, retryAfter: 7));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal(["7"], response.Headers.GetValues("Retry-After"));
    }

    [Fact]
    public async Task RetryAfter_Date_IsTheFakeNowPlusSecondsRoundedUp()
    {
        var time = new FakeTimeProvider(TestSimulator.Start.AddMilliseconds(250));
        await using SimulatorServer server = await TestSimulator.StartAsync(time: time);
        server.Faults.Add(FaultSpec.Answer(503, repeat: 2, retryAfter: 30, format: RetryAfterFormat.Date));
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage first = await client.ProvisionAsync();
        time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(250));
        using HttpResponseMessage second = await client.ProvisionAsync();

        Assert.Equal(TestSimulator.Start.AddSeconds(31), first.Headers.RetryAfter?.Date);
        Assert.Equal(TestSimulator.Start.AddSeconds(90), second.Headers.RetryAfter?.Date);
        Assert.Equal("Wed, 25 Nov 2026 10:01:30 GMT", second.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task RequestLog_RecordsTheEarliestTimeEachRetryAfterAllows()
    {
        var time = new FakeTimeProvider(TestSimulator.Start.AddMilliseconds(250));
        await using SimulatorServer server = await TestSimulator.StartAsync(time: time);
        server.Faults.Add(FaultSpec.Answer(503, retryAfter: 4));
        server.Faults.Add(FaultSpec.Answer(429, retryAfter: 30, format: RetryAfterFormat.Date));
        server.Faults.Add(FaultSpec.Answer(500));
        using HttpClient client = TestSimulator.Client(server);

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await client.ProvisionAsync();
        }

        IReadOnlyList<RecordedRequest> log = await server.WaitForLogAsync(l => l.Count == 4 && l.All(r => r.Outcome != RequestOutcome.Pending));
        Assert.Equal(
            [TestSimulator.Start.AddMilliseconds(250).AddSeconds(4), TestSimulator.Start.AddSeconds(31), null, null],
            log.Select(r => r.NotBefore));
    }

    [Fact]
    public async Task Delay_OnFakeClock_AnswersOnlyAfterTheClockAdvances()
    {
        var time = new FakeTimeProvider(TestSimulator.Start);
        await using SimulatorServer server = await TestSimulator.StartAsync(time: time);
        server.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromSeconds(10)));
        using HttpClient client = TestSimulator.Client(server);

        Task<HttpResponseMessage> pending = client.ProvisionAsync();
        await server.WaitForLogAsync(log => log.Count == 1);
        using (HttpResponseMessage admin = await client.GetAsync("admin/faults"))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        Assert.False(pending.IsCompleted);
        Assert.Equal(RequestOutcome.Pending, server.Requests.Single().Outcome);
        // The simulator logs the request before it starts the delay's timer: on a loaded machine the timer may start
        // after an advance and count from there, so advance by the delay until the answer comes (bounded).
        for (int advances = 0; !pending.IsCompleted; advances++)
        {
            Assert.True(advances < 100, "the delayed answer never came");
            time.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
        }

        using HttpResponseMessage response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RequestOutcome.Answered, server.Requests.Single().Outcome);
    }

    [Fact]
    public async Task Delay_ClientGivesUp_IsRecordedAsClientAborted()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromMinutes(5)));
        using HttpClient client = TestSimulator.Client(server);
        using var cancel = new CancellationTokenSource();

        Task<HttpResponseMessage> pending = client.SendAsync(TestSimulator.Provision(), cancel.Token);
        await server.WaitForLogAsync(log => log.Count == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        IReadOnlyList<RecordedRequest> log = await server.WaitForLogAsync(l => l[0].Outcome != RequestOutcome.Pending);
        Assert.Equal(RequestOutcome.ClientAborted, log[0].Outcome);
        Assert.Equal(0, log[0].Status);
    }
}
