using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Engine;

/// <summary>The engine inside the real host, against the simulator on a real loopback port.</summary>
public sealed class ProvisioningEngineTests
{
    // The back office answers after this much time on the test's fake clock: the run stays in progress, however
    // slow the machine, until the test moves the clock.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ProvisionAsync_DuringARun_IsRefusedInProgressAndCausesNothing()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Time = time;
            o.ProvisionAtBoot = false;
            o.Simulator = s => s.Faults.Add(FaultSpec.DelayBy(Slow));
        });

        ProvisionStart first = await daemon.Engine.ProvisionAsync();
        ProvisionStart second = await daemon.Engine.ProvisionAsync();

        Assert.True(first.Accepted);
        Assert.Equal(EngineError.InProgress, second.Error);
        Assert.Null(second.Completion);
        EngineState ended = await FakeClockDriver.AdvanceUntilDoneAsync(time, Slow, first.Completion!, TimeSpan.FromSeconds(30));
        Assert.Equal(200, ended.Status);
        Assert.Single(ProvisionRequests(daemon));
    }

    [Fact]
    public async Task ProvisionAsync_ThousandConcurrentTriggers_GiveExactlyOneRun()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Time = time;
            o.ProvisionAtBoot = false;
            o.Simulator = s => s.Faults.Add(FaultSpec.DelayBy(Slow));
        });

        ProvisionStart[] starts = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => daemon.Engine.ProvisionAsync())));

        ProvisionStart accepted = Assert.Single(starts, s => s.Accepted);
        Assert.All(starts.Where(s => !s.Accepted), s => Assert.Equal(EngineError.InProgress, s.Error));
        Assert.Equal(200, (await FakeClockDriver.AdvanceUntilDoneAsync(time, Slow, accepted.Completion!, TimeSpan.FromSeconds(30))).Status);
        Assert.Single(ProvisionRequests(daemon));
    }

    [Fact]
    public async Task ProvisionAsync_NoBackOffice_IsUnavailable()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.WithSimulator = false);

        ProvisionStart start = await daemon.Engine.ProvisionAsync();

        Assert.Equal(EngineError.Unavailable, start.Error);
        Assert.Equal(EnginePhase.Unavailable, daemon.Engine.Current.Phase);
        Assert.Equal(daemon.DeviceId, daemon.Engine.Current.Id);
    }

    [Fact]
    public async Task Boot_NothingStored_WaitsTheRandomDelayThenProvisions()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Time = time;
            o.Settings["Boot:MaxDelay"] = "00:10:00";
        });

        EngineState waiting = daemon.Engine.Current;
        Assert.Equal(EnginePhase.BootDelay, waiting.Phase);
        Assert.InRange(waiting.NextAttemptAt!.Value, time.GetUtcNow(), time.GetUtcNow().AddMinutes(10));
        Assert.Empty(ProvisionRequests(daemon));

        time.Advance(TimeSpan.FromMinutes(10));

        EngineState provisioned = await daemon.WaitUntilProvisionedAsync();
        Assert.Equal(200, provisioned.Status);
        Assert.Equal(["cobalt", "netflix", "playready"], provisioned.Labels.ToArray());
    }

    [Fact]
    public async Task Refresh_AtEightyPercentOfTheLifetime_ProvisionsAgainBeforeExpiry()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Time = time;
            o.Simulator = s => s.Lifetime = TimeSpan.FromHours(10);
        });
        EngineState first = await daemon.WaitUntilProvisionedAsync();
        Assert.Equal(first.Issued!.Value.AddHours(8), first.NextAttemptAt);

        time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromSeconds(1));
        await daemon.Engine.PingAsync();
        Assert.Single(ProvisionRequests(daemon));

        time.Advance(TimeSpan.FromSeconds(1));
        EngineState second = await daemon.WaitForStateAsync(s => s.Phase == EnginePhase.Idle && s.Issued > first.Issued);

        Assert.Equal(2, ProvisionRequests(daemon).Count);
        Assert.Equal(200, second.Status);
        Assert.True(second.Issued > first.Issued);
        Assert.True(second.Expires > first.Expires);
    }

    [Fact]
    public async Task Run_TransientFailuresThenSuccess_PublishesEachStatusOnceAndInOrder()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.ProvisionAtBoot = false;
            o.Settings["BackOffice:Retry:BaseDelay"] = "00:00:00.020";
            o.Simulator = s => s.Faults = [FaultSpec.Answer(503), FaultSpec.ResetConnection(), FaultSpec.Answer(429)];
        });
        using StateSubscription subscription = daemon.Engine.Subscribe();

        ProvisionStart start = await daemon.Engine.ProvisionAsync();
        EngineState ended = await start.Completion!;

        List<EngineState> seen = [];
        while (subscription.Reader.TryRead(out EngineState? state))
        {
            seen.Add(state);
        }

        Assert.Equal(Enumerable.Range((int)seen[0].Sequence, seen.Count).Select(i => (long)i), seen.Select(s => s.Sequence));
        int[] failedStatuses = [.. seen.Where(s => s.Change == StateChange.AttemptFailed).Select(s => s.Status)];
        Assert.Equal([503, 503, 429], failedStatuses);
        Assert.Equal([503, 429, 200], seen.Where(s => s.IsAnnounced).Select(s => s.Status));
        Assert.Equal(4, ended.Attempts);
        Assert.Equal(4, ProvisionRequests(daemon).Select(r => r.IdempotencyKey).Count());
        Assert.Single(ProvisionRequests(daemon).Select(r => r.IdempotencyKey).Distinct());
    }

    [Fact]
    public async Task Run_PermanentRejection_EndsWithThatStatusKeepsLabelsAndPublishesTheEnd()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync();
        await daemon.WaitUntilProvisionedAsync();
        daemon.Simulator!.Faults.Add(FaultSpec.Answer(404));

        EngineState ended = await (await daemon.Engine.ProvisionAsync()).Completion!;

        Assert.Equal(404, ended.Status);
        Assert.True(ended.IsAnnounced);
        Assert.Equal(["cobalt", "netflix", "playready"], ended.Labels.ToArray());
        Assert.Equal(2, ProvisionRequests(daemon).Count);
    }

    [Fact]
    public async Task Run_SameStatusAgain_StillPublishesTheRunsEnd()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync();
        EngineState first = await daemon.WaitUntilProvisionedAsync();

        EngineState second = await (await daemon.Engine.ProvisionAsync()).Completion!;

        Assert.Equal(first.Status, second.Status);
        Assert.True(second.IsAnnounced);
    }

    [Fact]
    public async Task Run_MalformedAnswerUntilTheBudgetEnds_StoresNothing()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.ProvisionAtBoot = false;
            o.Settings["BackOffice:Retry:BaseDelay"] = "00:00:00.010";
            o.Settings["BackOffice:RunBudget"] = "00:00:01";
            o.Settings["BackOffice:AttemptTimeout"] = "00:00:01";
            o.Simulator = s => s.Faults.Add(new FaultSpec { Kind = FaultKind.Malformed, Forever = true });
        });

        EngineState ended = await (await daemon.Engine.ProvisionAsync()).Completion!;

        Assert.False(ended.IsProvisioned);
        Assert.Equal(0, ended.Status);
        Assert.NotNull(ended.LastError);
        Assert.False(File.Exists(Path.Combine(daemon.StateDirectory, "state.json")));
        Assert.Equal(EngineError.NotProvisioned, daemon.Engine.GetKey("netflix").Error);
    }

    [Fact]
    public async Task SetIndexAsync_ChoosesTheSlotGetKeyServesItAndARestartKeepsIt()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Simulator = s => s.KeysPerLabel = 2);
        await daemon.WaitUntilProvisionedAsync();
        Assert.True(daemon.Simulator!.Devices.TryGet(daemon.DeviceId, out SimulatedDevice? device));

        Assert.Equal(EngineError.None, await daemon.Engine.SetIndexAsync("playready", 1));
        Assert.Equal(EngineError.IndexOutOfRange, await daemon.Engine.SetIndexAsync("playready", 2));
        Assert.Equal(EngineError.UnknownLabel, await daemon.Engine.SetIndexAsync("nope", 0));
        await daemon.RestartAsync();

        KeyLookup key = daemon.Engine.GetKey("playready");
        Assert.Equal(1, key.Slot);
        Assert.Equal(device.Labels["playready"][1], key.Key.ToArray());
        Assert.Equal(1, daemon.Engine.Current.Indexes["playready"]);
        Assert.Single(ProvisionRequests(daemon));
    }

    [Fact]
    public async Task Subscribe_SlowSubscriber_IsDroppedWithoutDelayingOthers()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.ProvisionAtBoot = false);
        using StateSubscription stalled = daemon.Engine.Subscribe(capacity: 2);
        using StateSubscription healthy = daemon.Engine.Subscribe(capacity: 1000);

        await (await daemon.Engine.ProvisionAsync()).Completion!;

        await Assert.ThrowsAsync<SubscriberOverflowException>(async () =>
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await foreach (EngineState _ in stalled.Reader.ReadAllAsync(patience.Token))
            {
            }
        });
        List<EngineState> received = [];
        while (healthy.Reader.TryRead(out EngineState? state))
        {
            received.Add(state);
        }

        Assert.Equal(StateChange.RunEnded, received[^1].Change);
    }

    [Fact]
    public async Task Run_EvenAtTraceLevel_LogsNoKeyMaterial()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Settings["Logging:LogLevel:Default"] = "Trace";
            o.ConfigureServices = services => services.AddFakeLogging();
            o.Simulator = s => s.Faults = [FaultSpec.Answer(503)];
            o.Settings["BackOffice:Retry:BaseDelay"] = "00:00:00.010";
        });
        await daemon.WaitUntilProvisionedAsync();
        Assert.True(daemon.Simulator!.Devices.TryGet(daemon.DeviceId, out SimulatedDevice? device));

        var logs = daemon.Services.GetFakeLogCollector().GetSnapshot();

        Assert.NotEmpty(logs);
        string everything = string.Join('\n', logs.Select(r => r.Message + r.Exception));
        foreach (byte[] key in device.Labels.Values.SelectMany(keys => keys))
        {
            Assert.DoesNotContain(Convert.ToBase64String(key), everything, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(key), everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static List<RecordedRequest> ProvisionRequests(TestDaemon daemon) =>
        [.. daemon.Simulator!.Requests.Where(r => r.Path.EndsWith("/provision", StringComparison.Ordinal))];
}
