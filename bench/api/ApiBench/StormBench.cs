using System.Text.Json;
using Provisioning.Client;

namespace Provisioning.Bench.Api;

/// <summary>
/// N concurrent provision calls, half over JSON-RPC and half over gRPC, while the back office holds its answer:
/// exactly one run starts (one provision request reaches the back office), every other caller gets
/// ERROR_INPROGRESS (JSON-RPC error 12) or FAILED_PRECONDITION (gRPC), and nothing else.
/// </summary>
internal static class StormBench
{
    public static async Task RunAsync(BenchOptions options)
    {
        using var admin = new HttpClient { BaseAddress = options.BackOffice };
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
        var clients = Enumerable.Range(0, 8)
            .Select(_ => new ProvisioningClient(new ProvisioningClientOptions { SocketPath = options.SocketPath })).ToList();
        try
        {
            await admin.ClearRequestsAsync();
            await admin.SetFaultsAsync("""[{"kind":"delay","on":"provision","delayMs":3000}]""");

            using var go = new ManualResetEventSlim();
            Task<string>[] calls = [.. Enumerable.Range(0, options.StormCalls).Select(i => Task.Run(async () =>
            {
                go.Wait();
                return i % 2 == 0 ? await JsonRpcAsync(http, options, i) : await GrpcAsync(clients[i % clients.Count]);
            }))];
            go.Set();
            string[] outcomes = await Task.WhenAll(calls);

            var counts = outcomes.GroupBy(o => o).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            int provisionRequests = await ProvisionRequestsAsync(admin);
            bool right = outcomes.Count(o => o.EndsWith("accepted", StringComparison.Ordinal)) == 1
                && outcomes.All(o => o.EndsWith("accepted", StringComparison.Ordinal) || o.EndsWith("in progress", StringComparison.Ordinal))
                && provisionRequests == 1;
            Report.Row(
                $"{options.StormCalls} concurrent provision calls (JSON-RPC and gRPC mixed)",
                string.Join(", ", counts),
                $"provision requests at the back office: {provisionRequests}",
                right ? "as required" : "WRONG");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<string> JsonRpcAsync(HttpClient http, BenchOptions options, int id)
    {
        JsonElement answer = await JsonRpcCalls.PostAsync(http, options.JsonRpc, "Provisioning.1.provision", id);
        return answer.TryGetProperty("error", out JsonElement error)
            ? error.GetProperty("code").GetInt32() == 12 ? "JSON-RPC in progress" : "JSON-RPC error " + error
            : "JSON-RPC accepted";
    }

    private static async Task<string> GrpcAsync(ProvisioningClient client)
    {
        try
        {
            await client.ProvisionAsync();
            return "gRPC accepted";
        }
        catch (ProvisioningInProgressException)
        {
            return "gRPC in progress";
        }
        catch (ProvisioningException e)
        {
            return "gRPC " + e.GetType().Name;
        }
    }

    /// <summary>Waits for the run to end, then counts the provision requests the back office logged.</summary>
    private static async Task<int> ProvisionRequestsAsync(HttpClient admin)
    {
        await Task.Delay(TimeSpan.FromSeconds(4));
        return (await admin.RequestsAsync()).Count(r => r.GetProperty("path").GetString()!.EndsWith("/provision", StringComparison.Ordinal));
    }
}
