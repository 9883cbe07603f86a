using System.Globalization;
using System.Text.Json;
using Provisioning.Client;
using Provisioning.Contracts.V1;

namespace Provisioning.Bench.Api;

/// <summary>
/// A long fault plan while callers hammer both APIs: rounds of random faults (resets, timeouts, slow answers,
/// 5xx, 429 with Retry-After in both forms, malformed and truncated 200s, 202 chains), each ended by a
/// provision run, and rounds in which the back office flaps between down and up under back-to-back runs.
/// Checks: every run ends provisioned; each fault takes exactly one request and nothing more is sent; no
/// request earlier than the Retry-After before it allowed; runs against the flapping back office within the
/// attempts the retry policy allows in their time; every caller answer right; the daemon's RSS flat.
/// </summary>
internal static class ChaosBench
{
    public static async Task RunAsync(BenchOptions options, ChaosOptions chaos)
    {
        using var admin = new HttpClient { BaseAddress = options.BackOffice };
        using var http = new HttpClient();
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = options.SocketPath });
        var keys = new IssuedKeys(admin, options.DeviceId);
        await keys.RefreshAsync();
        var callers = new ChaosCallers(options, keys.Labels, keys.IsIssued);
        var rss = new RssSampler(chaos.DaemonPid);
        var random = new Random(chaos.Seed);
        var tally = new ChaosTally();

        using var stop = new CancellationTokenSource();
        Task background = Task.WhenAll(callers.RunAsync(stop.Token), rss.RunAsync(stop.Token));
        var deadline = DateTimeOffset.UtcNow + chaos.Duration;
        for (int round = 1; DateTimeOffset.UtcNow < deadline; round++)
        {
            if (round % 5 == 0)
            {
                await admin.RotateKeysAsync(options.DeviceId);
                await keys.RefreshAsync();
            }

            if (round % 4 == 0)
            {
                await FlapRoundAsync(admin, http, client, options, chaos, random, tally, round);
            }
            else
            {
                await PlanRoundAsync(admin, http, client, options, random, tally, round);
            }
        }

        await stop.CancelAsync();
        await background;
        (int grpcChecked, int unverifiable) = callers.CheckGrpcStates();
        WriteRows(chaos, tally, callers, grpcChecked, unverifiable, rss.Samples);
    }

    private static async Task PlanRoundAsync(HttpClient admin, HttpClient http, ProvisioningClient client, BenchOptions options, Random random, ChaosTally tally, int round)
    {
        var plan = ChaosPlan.Next(random);
        await admin.ClearRequestsAsync();
        await admin.SetFaultsAsync(plan.Faults.ToJsonString());

        State end = await ProvisionAsync(http, client, options, round);
        List<JsonElement> requests = await admin.RequestsAsync();
        tally.Runs++;
        tally.Faults += plan.Faults.Count;
        tally.Requests += requests.Count;
        tally.ExpectedRequests += plan.ExpectedRequests;
        tally.CheckEnd(end, $"round {round} ({plan.Summary})");
        tally.CheckRetryAfter(requests);
        if (requests.Count != plan.ExpectedRequests)
        {
            tally.Problems.Add($"round {round} ({plan.Summary}): {requests.Count} requests, the plan takes {plan.ExpectedRequests}");
        }
    }

    /// <summary>The back office flaps (down: resets or 503s without Retry-After; up: answers) under three runs.</summary>
    private static async Task FlapRoundAsync(HttpClient admin, HttpClient http, ProvisioningClient client, BenchOptions options, ChaosOptions chaos, Random random, ChaosTally tally, int round)
    {
        using var stopFlapping = new CancellationTokenSource();
        Task flapping = FlapAsync(admin, new Random(random.Next()), stopFlapping.Token);
        for (int run = 0; run < 3; run++)
        {
            await admin.ClearRequestsAsync();
            State end = await ProvisionAsync(http, client, options, round + run);
            List<JsonElement> requests = await admin.RequestsAsync();
            tally.FlapRuns++;
            tally.CheckEnd(end, $"round {round} flap run {run + 1}");
            TimeSpan span = requests[^1].GetProperty("time").GetDateTimeOffset() - requests[0].GetProperty("time").GetDateTimeOffset();
            int bound = chaos.AttemptBound(span);
            if (requests.Count > tally.MostFlapAttempts.Attempts)
            {
                tally.MostFlapAttempts = (requests.Count, bound);
            }

            if (requests.Count > bound)
            {
                tally.FlapRunsOverBound++;
                tally.Problems.Add($"round {round} flap run {run + 1}: {requests.Count} attempts in {span.TotalSeconds:F1} s, the policy allows {bound}");
            }
        }

        await stopFlapping.CancelAsync();
        await flapping;
        await admin.SetFaultsAsync("[]");
    }

    private static async Task FlapAsync(HttpClient admin, Random random, CancellationToken stop)
    {
        string down = random.Next(2) == 0 ? """[{"kind":"reset","forever":true}]""" : """[{"kind":"status","status":503,"forever":true}]""";
        try
        {
            while (true)
            {
                await admin.SetFaultsAsync(down);
                await Task.Delay(TimeSpan.FromSeconds(1 + (random.NextDouble() * 5)), stop);
                await admin.SetFaultsAsync("[]");
                await Task.Delay(TimeSpan.FromSeconds(0.2 + random.NextDouble()), stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }


    /// <summary>Starts a run over JSON-RPC (odd rounds) or gRPC (even rounds) and returns the state it ended with.</summary>
    private static async Task<State> ProvisionAsync(HttpClient http, ProvisioningClient client, BenchOptions options, int round)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        using var watch = new CancellationTokenSource();
        var ended = new TaskCompletionSource<State>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task watcher = Task.Run(async () =>
        {
            try
            {
                await foreach (State state in client.WatchAsync(watch.Token))
                {
                    started.TrySetResult();
                    if (state.Change == Change.RunEnded)
                    {
                        ended.TrySetResult(state);
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await started.Task.WaitAsync(timeout.Token);
        if (round % 2 == 1)
        {
            JsonElement answer = await JsonRpcCalls.PostAsync(http, options.JsonRpc, "Provisioning.1.provision", round);
            if (answer.TryGetProperty("error", out _))
            {
                throw new InvalidOperationException("provision refused: " + answer);
            }
        }
        else
        {
            await client.ProvisionAsync(wait: false, timeout.Token);
        }

        State end = await ended.Task.WaitAsync(timeout.Token);
        await watch.CancelAsync();
        await watcher;
        return end;
    }


    private static void WriteRows(ChaosOptions chaos, ChaosTally tally, ChaosCallers callers, int grpcChecked, int unverifiable, IReadOnlyList<long> rss)
    {
        string minutes = chaos.Duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
        Report.Row(
            $"chaos, {minutes} min: fault-plan runs / runs against a flapping back office",
            $"{tally.Runs} / {tally.FlapRuns}, {tally.Provisioned} of {tally.Runs + tally.FlapRuns} ended provisioned",
            $"{tally.Faults} faults",
            tally.Provisioned == tally.Runs + tally.FlapRuns ? "all" : "NOT ALL");
        Report.Row(
            "chaos: requests the back office got for the fault plans",
            tally.Requests.ToString(CultureInfo.InvariantCulture),
            $"{tally.ExpectedRequests} (one per fault, then the 200 or the polls)",
            tally.Requests == tally.ExpectedRequests ? "exact" : "WRONG");
        Report.Row(
            "chaos: requests after a Retry-After",
            $"{tally.RetryAfterEarly} early of {tally.RetryAfterChecked}",
            $"smallest margin {tally.SmallestMargin.TotalMilliseconds:F0} ms",
            tally.RetryAfterEarly == 0 ? "none early" : "EARLY");
        Report.Row(
            "chaos: most attempts of one run against the flapping back office",
            tally.MostFlapAttempts.Attempts.ToString(CultureInfo.InvariantCulture),
            $"the policy's bound for that run's duration: {tally.MostFlapAttempts.Bound}",
            tally.FlapRunsOverBound == 0 ? "within" : $"{tally.FlapRunsOverBound} OVER");
        Report.Row(
            "chaos: caller answers (JSON-RPC state, gRPC state and keys)",
            $"{callers.Answers} answers, {callers.Wrong.Count} wrong",
            $"{grpcChecked} distinct gRPC states matched to the published ones ({unverifiable} not seen by the watcher)",
            callers.Wrong.Count == 0 ? "all right" : "WRONG");
        int window = Math.Max(1, Math.Min(60, rss.Count / 5));
        double first = Median(rss.Take(window)) / 1024.0;
        double last = Median(rss.TakeLast(window)) / 1024.0;
        Report.Row(
            $"chaos: daemon RSS, median of the first and last {window} s",
            $"{first:F1} → {last:F1} MiB",
            $"max {rss.DefaultIfEmpty().Max() / 1024.0:F1} MiB",
            Report.Ratio(last / first));

        foreach (string problem in tally.Problems.Concat(callers.Wrong).Take(20))
        {
            Console.Error.WriteLine("chaos: " + problem);
        }
    }

    private static double Median(IEnumerable<long> values) => Report.Percentile([.. values.Select(v => (double)v)], 0.5);
}
