using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Tests.Infrastructure;
using SimRequest = Provisioning.BackOfficeSimulator.RecordedRequest;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>The client against the project's back-office simulator on a real loopback port.</summary>
public sealed class BackOfficeSimulatorTests
{
    private const string Token = "sim-device-token";

    [Fact]
    public async Task RunAsync_FaultSchedule_ProvisionsWithOneIdempotencyKeyAndTheRightSpacing()
    {
        using var temp = new TempDirectory();
        var time = new TimerTrackingTimeProvider(ClientHarness.Start);
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeProvider = time,
            DeviceToken = Token,
            Faults =
            [
                FaultSpec.Answer(503, repeat: 2),
                FaultSpec.ResetConnection(),
                FaultSpec.Answer(429, retryAfter: 7),
                FaultSpec.AcceptedAfter(polls: 2, retryAfter: 3),
            ],
        });
        BackOfficeOptions options = Options(simulator, temp);
        using var handler = BackOfficeHttpHandler.Create(options);
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var pipeline = new BackOfficePipeline(options, time, NullLogger.Instance, () => 0.5);
        var client = new BackOfficeClient(http, Microsoft.Extensions.Options.Options.Create(options), pipeline, time, NullLogger<BackOfficeClient>.Instance);
        var key = Guid.NewGuid();
        var progress = new List<RunProgress>();

        RunOutcome outcome = await FakeClockDriver.RunAsync(client, time, new ProvisionRequest(ProvisioningJson.DeviceId, key), options, progress);

        var provisioned = Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(["cobalt", "netflix", "playready"], provisioned.Document.SortedLabels());
        IReadOnlyList<SimRequest> log = await Settled(simulator, 7);
        Assert.Equal(["503", "503", "reset", "429", "202", "202", "200"], log.Select(r => r.Answer));
        Assert.Equal(["POST", "POST", "POST", "POST", "POST", "GET", "GET"], log.Select(r => r.Method));
        Assert.Equal([key.ToString("D")], log.Select(r => r.IdempotencyKey).Distinct());
        Assert.All(log, r => Assert.True(r.HasAuthorization));

        // Back-off 0.75, 1.5, 3 s (base 1 s, jitter fixed at 0.5); the 429's Retry-After of 7 s is the wait
        // (Retry:RetryAfter Exact), plus half the base delay; then the 202 is polled after its Retry-After of 3 s and
        // the timers' slack (RetryDelays.TimerSlack, 10 ms), twice.
        Assert.Equal([0, 0.75, 2.25, 5.25, 12.75, 15.76, 18.77], log.Select(r => (r.Time - ClientHarness.Start).TotalSeconds));
        Assert.Equal(
            [RunProgressKind.AttemptFailed, RunProgressKind.AttemptFailed, RunProgressKind.AttemptFailed, RunProgressKind.AttemptFailed, RunProgressKind.Accepted, RunProgressKind.Accepted],
            progress.Where(p => p.Kind != RunProgressKind.AttemptStarted).Select(p => p.Kind));
        Assert.Equal([503, 503, 0, 429, 202, 202], progress.Where(p => p.Kind != RunProgressKind.AttemptStarted).Select(p => p.Status));
    }

    [Fact]
    public async Task RunAsync_ThroughDependencyInjection_ProvisionsTheSimulatorsKeysOnTheRealClock()
    {
        using var temp = new TempDirectory();
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            DeviceToken = Token,
            Faults = [FaultSpec.Answer(503), FaultSpec.Answer(429, retryAfter: 1), FaultSpec.AcceptedAfter(polls: 1, retryAfter: 1)],
        });
        string tokenFile = temp.Combine("token");
        await File.WriteAllTextAsync(tokenFile, Token);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BackOffice:Url"] = simulator.BaseAddress.ToString(),
            ["BackOffice:TokenFile"] = tokenFile,
            ["BackOffice:Model"] = "stb-x1",
            ["BackOffice:Firmware"] = "2.4.1",
            ["BackOffice:Labels:0"] = "netflix",
            ["BackOffice:Retry:BaseDelay"] = "00:00:00.200",
            ["BackOffice:Retry:MaxDelay"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBackOffice(configuration);
        await using ServiceProvider provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<BackOfficeClient>();
        var key = Guid.NewGuid();

        RunOutcome outcome = await client.RunAsync(new ProvisionRequest(ProvisioningJson.DeviceId, key), _ => { }, CancellationToken.None);

        var provisioned = Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(["netflix"], provisioned.Document.SortedLabels());
        Assert.True(simulator.Devices.TryGet(ProvisioningJson.DeviceId, out SimulatedDevice? device));
        Assert.Equal(device.KeysOf("netflix"), provisioned.Document.Find("netflix")!.Keys);
        IReadOnlyList<SimRequest> log = await Settled(simulator, 4);
        Assert.Equal(["503", "429", "202", "200"], log.Select(r => r.Answer));
        Assert.Equal([key.ToString("D")], log.Select(r => r.IdempotencyKey).Distinct());
        Assert.StartsWith("provisioningd/", log[0].UserAgent, StringComparison.Ordinal);
        Assert.Equal("application/json", log[0].Accept);

        // Lower bounds only: half the 200 ms nominal back-off, then the two Retry-Afters of 1 s, less the
        // granularity of the system's timers (the fake-clock test checks exact spacing).
        TimeSpan slack = TimeSpan.FromMilliseconds(20);
        TimeSpan[] gaps = [.. log.Skip(1).Select((r, i) => r.Time - log[i].Time)];
        Assert.True(gaps[0] >= TimeSpan.FromMilliseconds(100) - slack, $"gap {gaps[0]}");
        Assert.True(gaps[1] >= TimeSpan.FromSeconds(1) - slack, $"gap {gaps[1]}");
        Assert.True(gaps[2] >= TimeSpan.FromSeconds(1) - slack, $"gap {gaps[2]}");
    }

    [Fact]
    public async Task RunAsync_WrongToken_IsRejectedWith401AtOnce()
    {
        using var temp = new TempDirectory();
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions { DeviceToken = Token });
        BackOfficeOptions options = Options(simulator, temp, token: "not-the-token");
        using var http = new HttpClient(BackOfficeHttpHandler.Create(options));
        var time = new TimerTrackingTimeProvider(ClientHarness.Start);
        var client = new BackOfficeClient(
            http, Microsoft.Extensions.Options.Options.Create(options), new BackOfficePipeline(options, time, NullLogger.Instance, () => 0.5), time, NullLogger<BackOfficeClient>.Instance);

        RunOutcome outcome = await FakeClockDriver.RunAsync(client, time, new ProvisionRequest(ProvisioningJson.DeviceId, Guid.NewGuid()), options, []);

        Assert.Equal(401, Assert.IsType<RunOutcome.Rejected>(outcome).Status);
        Assert.Single(simulator.Requests);
    }

    [Theory]
    [InlineData(nameof(MalformedKind.InvalidJson))]
    [InlineData(nameof(MalformedKind.WrongId))]
    public async Task RunAsync_MalformedThenTruncatedAnswers_AreRetriedUntilAValidOne(string malformedKind)
    {
        using var temp = new TempDirectory();
        var time = new TimerTrackingTimeProvider(ClientHarness.Start);
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            TimeProvider = time,
            DeviceToken = Token,
            Faults = [FaultSpec.MalformedBody(Enum.Parse<MalformedKind>(malformedKind)), FaultSpec.TruncatedBody()],
        });
        BackOfficeOptions options = Options(simulator, temp);
        using var http = new HttpClient(BackOfficeHttpHandler.Create(options));
        var client = new BackOfficeClient(
            http, Microsoft.Extensions.Options.Options.Create(options), new BackOfficePipeline(options, time, NullLogger.Instance, () => 0.5), time, NullLogger<BackOfficeClient>.Instance);
        var progress = new List<RunProgress>();

        RunOutcome outcome = await FakeClockDriver.RunAsync(client, time, new ProvisionRequest(ProvisioningJson.DeviceId, Guid.NewGuid()), options, progress);

        Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(["200", "truncated", "200"], (await Settled(simulator, 3)).Select(r => r.Answer));
        Assert.Equal(2, progress.Count(p => p.Kind == RunProgressKind.AttemptFailed));
    }

    /// <summary>
    /// The log once it holds the expected number of requests, each ended: the simulator records a reset or a
    /// truncation after the connection is gone, which the client may notice (and retry) first.
    /// </summary>
    private static async Task<IReadOnlyList<SimRequest>> Settled(SimulatorServer simulator, int count)
    {
        using var patience = new CancellationTokenSource(FakeClockDriver.RealTimeout);
        return await simulator.WaitForRequestsAsync(
            log => log.Count >= count && log.All(r => r.Outcome != RequestOutcome.Pending), patience.Token);
    }

    private static BackOfficeOptions Options(SimulatorServer simulator, TempDirectory temp, string token = Token)
    {
        string tokenFile = temp.Combine("token");
        File.WriteAllText(tokenFile, token);
        return new BackOfficeOptions
        {
            Url = simulator.BaseAddress,
            Model = "stb-x1",
            Firmware = "2.4.1",
            TokenFile = tokenFile,
            RunBudget = TimeSpan.FromHours(1),
            Retry = { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) },
            CircuitBreaker = { MinimumThroughput = 1000 },
        };
    }
}
