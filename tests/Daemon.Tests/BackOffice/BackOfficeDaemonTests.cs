using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Tests.Infrastructure;
using SimRequest = Provisioning.BackOfficeSimulator.RecordedRequest;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>The back-office client as the daemon wires it (DaemonHost), against the simulator's fault plan.</summary>
public sealed class BackOfficeDaemonTests
{
    // The fake clock moves by this much each time the test lets real work catch up: small beside every wait of the plan.
    private static readonly TimeSpan ClockStep = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task BootRun_FaultSchedule_EndsProvisionedWithOneIdempotencyKey()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using TestDaemon daemon = await TestDaemon.StartAsync(options =>
        {
            options.Time = time;
            options.Settings["BackOffice:Retry:BaseDelay"] = "00:00:00.100";
            options.Settings["BackOffice:Retry:MaxDelay"] = "00:00:05";

            // The clock runs faster than real time while the test drives it: no attempt may time out on it.
            options.Settings["BackOffice:AttemptTimeout"] = "01:00:00";
            options.Simulator = simulator => simulator.Faults =
            [
                FaultSpec.Answer(503, repeat: 2),
                FaultSpec.ResetConnection(),
                FaultSpec.Answer(429, retryAfter: 1),
                FaultSpec.AcceptedAfter(polls: 2, retryAfter: 1),
            ];
        });

        EngineState state = await Infrastructure.FakeClockDriver.AdvanceUntilDoneAsync(time, ClockStep, daemon.WaitUntilProvisionedAsync(), TimeSpan.FromMinutes(2));

        Assert.Equal(200, state.Status);
        Assert.Equal(["cobalt", "netflix", "playready"], state.Labels.ToArray());
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        IReadOnlyList<SimRequest> log = await daemon.Simulator!.WaitForRequestsAsync(
            l => l.Count >= 7 && l.All(r => r.Outcome != RequestOutcome.Pending), patience.Token);
        Assert.Equal(["503", "503", "reset", "429", "202", "202", "200"], log.Select(r => r.Answer));
        Assert.Single(log.Select(r => r.IdempotencyKey).Distinct());
        Assert.NotNull(log[0].IdempotencyKey);

        // The 429's Retry-After and the 202's are honoured: on the fake clock no request came before the second
        // they named, and the run went on once the clock had passed it (it ended provisioned, above).
        Assert.True(log[4].Time - log[3].Time >= TimeSpan.FromSeconds(1), $"after 429: {log[4].Time - log[3].Time}");
        Assert.True(log[5].Time - log[4].Time >= TimeSpan.FromSeconds(1), $"after 202: {log[5].Time - log[4].Time}");
        Assert.True(log[6].Time - log[5].Time >= TimeSpan.FromSeconds(1), $"after poll: {log[6].Time - log[5].Time}");
    }

    [Fact]
    public async Task Run_EvenAtTraceLevel_NeverLogsTheBearerToken()
    {
        const string Token = "very-secret-device-token-8c1f";
        using var temp = new TempDirectory();
        string tokenFile = temp.Combine("token");
        await File.WriteAllTextAsync(tokenFile, Token);
        await using TestDaemon daemon = await TestDaemon.StartAsync(options =>
        {
            options.Settings["Logging:LogLevel:Default"] = "Trace";
            options.Settings["BackOffice:TokenFile"] = tokenFile;
            options.Settings["BackOffice:Retry:BaseDelay"] = "00:00:00.010";
            options.ConfigureServices = services => services.AddFakeLogging();
            options.Simulator = simulator =>
            {
                simulator.DeviceToken = Token;
                simulator.Faults = [FaultSpec.Answer(503)];
            };
        });

        await daemon.WaitUntilProvisionedAsync();

        IReadOnlyList<FakeLogRecord> logs = daemon.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id is >= 1400 and < 1600);
        string everything = string.Join('\n', logs.Select(r => r.Message + r.Exception + string.Join(",", r.StructuredState ?? [])));
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
        Assert.All(daemon.Simulator!.Requests, r => Assert.True(r.HasAuthorization));
    }
}
