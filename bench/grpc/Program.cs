using System.Diagnostics;
using System.Globalization;
using Grpc.Health.V1;
using Provisioning.Client;

// GetState against a call that does nothing (grpc.health.v1 Check: a dictionary lookup) on the same
// socket, channel type and server stack, so the difference is provisioningd's own code.
// Usage: GrpcBench --socket PATH [--seconds 5] [--get-state-only]
// --get-state-only: GetState alone, without the no-op baseline (bench/footprint compares builds, not calls).
string socket = Arg("--socket") ?? throw new ArgumentException("--socket PATH is required");
double seconds = double.Parse(Arg("--seconds") ?? "5", CultureInfo.InvariantCulture);
bool getStateOnly = args.Contains("--get-state-only");

// Warm both paths (JIT tiering, connection set-up) before anything is measured.
if (!getStateOnly)
{
    await MeasureAsync("warm-up", 16, c => new Health.HealthClient(c.Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync, warmOnly: true);
}

await MeasureAsync("warm-up", 16, c => c.GetStateAsync(), warmOnly: true);

var rows = new List<Result>();
foreach (int callers in (int[])[1, 16])
{
    if (getStateOnly)
    {
        rows.Add((await MeasureAsync("GetState", callers, c => c.GetStateAsync()))!);
        continue;
    }

    Result noop = (await MeasureAsync("Health.Check (no-op)", callers, c => new Health.HealthClient(c.Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync))!;
    Result getState = (await MeasureAsync("GetState", callers, c => c.GetStateAsync()))!;
    rows.Add(noop);
    rows.Add(getState);
    Console.Error.WriteLine($"{callers} caller(s): GetState/no-op p50 ratio {getState.P50 / noop.P50:F2}, throughput ratio {getState.PerSecond / noop.PerSecond:F2}");
}

Console.WriteLine("| call | callers | calls/s | p50 (µs) | p99 (µs) |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (Result r in rows)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Callers} | {r.PerSecond:F0} | {r.P50:F0} | {r.P99:F0} |"));
}

async Task<Result?> MeasureAsync(string name, int callers, Func<ProvisioningClient, Task> call, bool warmOnly = false)
{
    // One client (one connection) per caller: each caller stands for an app.
    ProvisioningClient[] clients = [.. Enumerable.Range(0, callers).Select(_ => new ProvisioningClient(new ProvisioningClientOptions { SocketPath = socket }))];
    try
    {
        await RunAsync(clients, call, TimeSpan.FromSeconds(warmOnly ? 3 : 1), record: false);
        if (warmOnly)
        {
            return null;
        }

        var watch = Stopwatch.StartNew();
        List<long>[] latencies = await RunAsync(clients, call, TimeSpan.FromSeconds(seconds), record: true);
        double elapsed = watch.Elapsed.TotalSeconds;
        long[] all = [.. latencies.SelectMany(l => l).Order()];
        double ticksPerMicro = Stopwatch.Frequency / 1_000_000.0;
        return new Result(name, callers, all.Length / elapsed, all[all.Length / 2] / ticksPerMicro, all[(int)(all.Length * 0.99)] / ticksPerMicro);
    }
    finally
    {
        foreach (ProvisioningClient client in clients)
        {
            client.Dispose();
        }
    }
}

static async Task<List<long>[]> RunAsync(ProvisioningClient[] clients, Func<ProvisioningClient, Task> call, TimeSpan duration, bool record)
{
    long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    return await Task.WhenAll(clients.Select(client => Task.Run(async () =>
    {
        var latencies = new List<long>(100_000);
        while (Stopwatch.GetTimestamp() < end)
        {
            long start = Stopwatch.GetTimestamp();
            await call(client);
            if (record)
            {
                latencies.Add(Stopwatch.GetTimestamp() - start);
            }
        }

        return latencies;
    })));
}

string? Arg(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

internal sealed record Result(string Name, int Callers, double PerSecond, double P50, double P99);
