using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Tests.Grpc;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;
using Rpc = Provisioning.Contracts.V1.Provisioning;

namespace Provisioning.Daemon.Tests.Chaos;

/// <summary>
/// A fault plan on the real back-office simulator (a reset, 503 and 429 with Retry-After in both forms, a truncated
/// and a malformed 200, a 500, a slow 503, then a 202 chain) while callers read the state over both APIs without
/// pause. The run ends provisioned; the back office saw exactly one request per fault plus the answering ones, none
/// earlier than a Retry-After allowed; and no caller ever saw a status or labels the engine had not published, nor
/// a 200 without the issued labels. Time is the test's fake clock, so the plan's waits cost nothing.
/// </summary>
public sealed class ChaosTests
{
    private static readonly FaultSpec[] Plan =
    [
        FaultSpec.ResetConnection(),
        FaultSpec.Answer(503, retryAfter: 3),
        FaultSpec.TruncatedBody(),
        FaultSpec.Answer(429, retryAfter: 4, format: RetryAfterFormat.Date),
        FaultSpec.MalformedBody(MalformedKind.InvalidJson),
        FaultSpec.Answer(500),
        new FaultSpec { Kind = FaultKind.Status, Status = 503, RetryAfter = 2, DelayMs = 5_000 },
        FaultSpec.AcceptedAfter(polls: 3, retryAfter: 2),
    ];

    // What each request of the plan is answered (the 202 chain: the POST and two polls 202, the third poll 200).
    private static readonly string[] ExpectedAnswers = ["reset", "503", "truncated", "429", "200", "500", "503", "202", "202", "202", "200"];

    // The Retry-After each answer carried, in seconds (0: none), in the order of ExpectedAnswers.
    private static readonly int[] RetryAfterSeconds = [0, 3, 0, 4, 0, 0, 2, 2, 2, 2, 0];

    [Fact]
    public async Task FaultPlan_WhileCallersReadBothApis_EndsProvisionedWithinThePolicyAndEveryAnswerWasTrue()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Time = time;
            o.ProvisionAtBoot = false;
            o.Simulator = s => s.Faults = [.. Plan];
        });
        using StateSubscription published = daemon.Engine.Subscribe(capacity: 100_000);
        using var stop = new CancellationTokenSource();
        var seen = new ConcurrentBag<(int Status, string Labels)>();
        Task[] callers =
        [
            .. Enumerable.Range(0, 2).Select(_ => Task.Run(() => ReadJsonRpcAsync(daemon, seen, stop.Token))),
            .. Enumerable.Range(0, 2).Select(_ => Task.Run(() => ReadGrpcAsync(daemon, seen, stop.Token))),
        ];

        Task<EngineState> ended = (await daemon.Engine.ProvisionAsync()).Completion!;
        EngineState final = await FakeClockDriver.AdvanceUntilDoneAsync(time, TimeSpan.FromMilliseconds(500), ended, TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.Equal(200, final.Status);
        Assert.Equal(daemon.IssuedLabels.Order(StringComparer.Ordinal), final.Labels);

        List<RecordedRequest> requests = [.. daemon.Simulator!.Requests];
        Assert.Equal(ExpectedAnswers, requests.Select(r => r.Answer));
        for (int i = 0; i + 1 < requests.Count; i++)
        {
            TimeSpan gap = requests[i + 1].Time - requests[i].Time;
            Assert.True(gap >= TimeSpan.FromSeconds(RetryAfterSeconds[i]), $"request {i + 2} came {gap} after a Retry-After of {RetryAfterSeconds[i]} s");
        }

        // Every state a caller read is one the engine published; none is a 200 without the issued labels.
        var states = new HashSet<(int, string)>();
        while (published.Reader.TryRead(out EngineState? state))
        {
            states.Add((state.Status, string.Join(',', state.Labels)));
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Contains(s, states));
        Assert.All(seen.Where(s => s.Status == 200), s => Assert.Equal(string.Join(',', daemon.IssuedLabels.Order(StringComparer.Ordinal)), s.Labels));
    }

    private static async Task ReadJsonRpcAsync(TestDaemon daemon, ConcurrentBag<(int, string)> seen, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            (int status, string body) = await daemon.PostAsync(Requests.Call("Provisioning.1.state", 1));
            Assert.Equal(200, status);
            using JsonDocument answer = JsonDocument.Parse(body);
            JsonElement result = answer.RootElement.GetProperty("result");
            string labels = string.Join(',', result.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
            seen.Add((result.GetProperty("status").GetInt32(), labels));
            await Task.Delay(2, CancellationToken.None);
        }
    }

    private static async Task ReadGrpcAsync(TestDaemon daemon, ConcurrentBag<(int, string)> seen, CancellationToken stop)
    {
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);
        long sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            var state = await client.GetStateAsync(new Contracts.V1.GetStateRequest(), cancellationToken: CancellationToken.None);
            Assert.True(state.Sequence >= sequence, $"sequence went back from {sequence} to {state.Sequence}");
            sequence = state.Sequence;
            seen.Add((state.Status, string.Join(',', state.Tokens)));
            await Task.Delay(2, CancellationToken.None);
        }
    }
}
