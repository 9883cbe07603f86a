using System.Diagnostics;
using System.Net.WebSockets;
using Provisioning.Client;
using Provisioning.Contracts.V1;

namespace Provisioning.Bench.Api;

/// <summary>
/// One state change (a provisioning run triggered over JSON-RPC) reaching N WebSocket subscribers and N gRPC
/// watchers: from the trigger until the last of them has it, p50/p99 over the repeats, as a ratio to the same
/// time with one subscriber of each kind, measured in the same run.
/// </summary>
internal static class FanOutBench
{
    // Kestrel's HTTP/2 default is 100 concurrent streams per connection: watchers share channels of 100.
    private const int WatchersPerChannel = 100;

    public static async Task RunAsync(BenchOptions options)
    {
        (List<double> oneWs, List<double> oneGrpc) = await MeasureAsync(options, 1);
        (List<double> manyWs, List<double> manyGrpc) = await MeasureAsync(options, options.Subscribers);
        Row("WebSocket subscribers", options.Subscribers, manyWs, oneWs);
        Row("gRPC WatchState watchers", options.Subscribers, manyGrpc, oneGrpc);
    }

    private static void Row(string kind, int count, List<double> many, List<double> one) => Report.Row(
        $"one change to {count} {kind}, trigger → last (p50 / p99 of {many.Count})",
        Report.Ms(Report.Percentile(many, 0.5)) + " / " + Report.Ms(Report.Percentile(many, 0.99)),
        "1 subscriber " + Report.Ms(Report.Percentile(one, 0.5)) + " / " + Report.Ms(Report.Percentile(one, 0.99)),
        Report.Ratio(Report.Percentile(many, 0.5) / Report.Percentile(one, 0.5)) + " / " + Report.Ratio(Report.Percentile(many, 0.99) / Report.Percentile(one, 0.99)));

    private static async Task<(List<double> WebSocket, List<double> Grpc)> MeasureAsync(BenchOptions options, int count)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var sockets = new List<ClientWebSocket>();
        var clients = new List<ProvisioningClient>();
        try
        {
            for (int i = 0; i < count; i += 50)
            {
                sockets.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(50, count - i))
                    .Select(n => JsonRpcCalls.SubscribeAsync(options.JsonRpc, "fan." + n, cancel.Token))));
            }

            var watchers = new List<IAsyncEnumerator<State>>();
            for (int i = 0; i < count; i++)
            {
                if (i % WatchersPerChannel == 0)
                {
                    clients.Add(new ProvisioningClient(new ProvisioningClientOptions { SocketPath = options.SocketPath }));
                }

                IAsyncEnumerator<State> watcher = clients[^1].WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
                if (!await watcher.MoveNextAsync())
                {
                    throw new InvalidOperationException("WatchState ended at once");
                }

                watchers.Add(watcher);
            }

            using var http = new HttpClient();
            var webSocketLast = new List<double>();
            var grpcLast = new List<double>();
            for (int repeat = 0; repeat <= options.Repeats; repeat++)
            {
                long start = Stopwatch.GetTimestamp();
                Task<double>[] ws = [.. sockets.Select(s => UntilAsync(start, () => WebSocketHeardAsync(s, cancel.Token)))];
                Task<double>[] grpc = [.. watchers.Select(w => UntilAsync(start, () => RunEndHeardAsync(w)))];
                var answer = await JsonRpcCalls.PostAsync(http, options.JsonRpc, "Provisioning.1.provision", repeat + 1);
                if (answer.TryGetProperty("error", out _))
                {
                    throw new InvalidOperationException("provision refused: " + answer);
                }

                double wsLast = (await Task.WhenAll(ws)).Max();
                double grpcLastOne = (await Task.WhenAll(grpc)).Max();
                if (repeat > 0)
                {
                    webSocketLast.Add(wsLast);
                    grpcLast.Add(grpcLastOne);
                }
            }

            foreach (IAsyncEnumerator<State> watcher in watchers)
            {
                await cancel.CancelAsync();
                try
                {
                    await watcher.DisposeAsync();
                }
                catch (OperationCanceledException)
                {
                    // The watch ends with the bench.
                }
            }

            return (webSocketLast, grpcLast);
        }
        finally
        {
            foreach (ClientWebSocket socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }

            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<double> UntilAsync(long start, Func<Task> heard)
    {
        await heard();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static async Task WebSocketHeardAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        while (!(await JsonRpcCalls.ReceiveAsync(socket, cancellationToken)).Contains("\"status\":200", StringComparison.Ordinal))
        {
        }
    }

    private static async Task RunEndHeardAsync(IAsyncEnumerator<State> watcher)
    {
        while (await watcher.MoveNextAsync())
        {
            if (watcher.Current.Change == Change.RunEnded)
            {
                return;
            }
        }

        throw new InvalidOperationException("WatchState ended");
    }
}
