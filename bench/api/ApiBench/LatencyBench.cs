using System.Diagnostics;
using System.Text;
using Provisioning.Daemon.Common.Files;

namespace Provisioning.Bench.Api;

/// <summary>
/// Trigger (JSON-RPC provision) to the provisioningchange notification, against the floor measured in the same
/// run: one HTTP round trip to the same back office with the same request, plus the durable writes of one state
/// write of the same size (key file and state file, each written, fsynced, renamed, directory fsynced; the old
/// key file removed), done with the daemon's own DurableFile.
/// </summary>
internal static class LatencyBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var http = new HttpClient();
        using var socket = await JsonRpcCalls.SubscribeAsync(options.JsonRpc, "latency", cancel.Token);
        var latencies = new List<double>();
        for (int i = 0; i <= options.Repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var answer = await JsonRpcCalls.PostAsync(http, options.JsonRpc, "Provisioning.1.provision", i + 1);
            if (answer.TryGetProperty("error", out _))
            {
                throw new InvalidOperationException("provision refused: " + answer);
            }

            while (!(await JsonRpcCalls.ReceiveAsync(socket, cancel.Token)).Contains("\"status\":200", StringComparison.Ordinal))
            {
            }

            if (i > 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds); // the first one warms the path
            }
        }

        List<double> floors = await FloorAsync(options, http, options.Repeats);
        double latency = Report.Percentile(latencies, 0.5);
        double floor = Report.Percentile(floors, 0.5);
        Report.Row(
            $"provision → provisioningchange (median of {latencies.Count}; goal ≤ ×2 of the floor)",
            Report.Ms(latency),
            "floor " + Report.Ms(floor) + " (HTTP round trip + durable state write)",
            Report.Ratio(latency / floor));
    }

    private static async Task<List<double>> FloorAsync(BenchOptions options, HttpClient http, int repeats)
    {
        string stateFile = Path.Combine(options.StateDirectory, "state.json");
        string keyFile = Directory.GetFiles(options.StateDirectory, "keys-*").First();
        byte[] state = File.ReadAllBytes(stateFile);
        byte[] keys = File.ReadAllBytes(keyFile);
        string folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.StateDirectory))!, "floor");
        Directory.CreateDirectory(folder);
        var uri = new Uri(options.BackOffice, $"v1/devices/{options.DeviceId}/provision");
        var floors = new List<double>();
        for (int i = 0; i <= repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using (var request = new HttpRequestMessage(HttpMethod.Post, uri))
            {
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("D"));
                request.Content = new StringContent($$"""{"id":"{{options.DeviceId}}","model":"unknown","firmware":"unknown"}""", Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await http.SendAsync(request);
                _ = await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
            }

            string newKeys = Path.Combine(folder, $"keys-{i}.bin");
            DurableFile.WriteAllBytes(newKeys, keys);
            DurableFile.WriteAllBytes(Path.Combine(folder, "state.json"), state);
            DurableFile.TryDelete(Path.Combine(folder, $"keys-{i - 1}.bin"));
            if (i > 0)
            {
                floors.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        Directory.Delete(folder, recursive: true);
        return floors;
    }
}
