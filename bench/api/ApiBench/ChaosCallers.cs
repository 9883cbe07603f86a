using System.Collections.Concurrent;
using System.Text.Json;
using Provisioning.Client;
using Provisioning.Contracts.V1;

namespace Provisioning.Bench.Api;

/// <summary>
/// Callers that hammer both APIs while the chaos runs, and check every answer: a gRPC state is exactly the state
/// the daemon published under its sequence number (a watcher records them all); a JSON-RPC state of 200 names the
/// issued labels; a key is one the back office issued for its label. The device stays provisioned throughout, so
/// every call must succeed.
/// </summary>
internal sealed class ChaosCallers(BenchOptions options, IReadOnlyCollection<string> labels, Func<string, byte[], bool> isIssuedKey)
{
    private readonly ConcurrentDictionary<long, string> _published = new();
    private readonly ConcurrentQueue<string> _wrong = new();
    // Distinct (sequence, state) answers: the watcher may see a state a moment after a caller did, so they are checked at the end.
    private readonly ConcurrentDictionary<(long Sequence, string State), byte> _grpcStates = new();
    private long _answers;

    public long Answers => Interlocked.Read(ref _answers);

    public IReadOnlyCollection<string> Wrong => _wrong;

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(
        WatchAsync(stop),
        Task.Run(() => JsonRpcAsync(stop), CancellationToken.None),
        Task.Run(() => JsonRpcAsync(stop), CancellationToken.None),
        Task.Run(() => GrpcAsync(stop), CancellationToken.None),
        Task.Run(() => GrpcAsync(stop), CancellationToken.None));

    /// <summary>The gRPC answers whose sequence the watcher saw, checked against what was published then.</summary>
    public (int Checked, int Unverifiable) CheckGrpcStates()
    {
        int checkedCount = 0;
        int unverifiable = 0;
        foreach ((long sequence, string state) in _grpcStates.Keys)
        {
            if (!_published.TryGetValue(sequence, out string? published))
            {
                unverifiable++;
            }
            else if (published != state)
            {
                _wrong.Enqueue($"gRPC state {sequence} was {state}, published {published}");
            }
            else
            {
                checkedCount++;
            }
        }

        return (checkedCount, unverifiable);
    }

    private static string Describe(State state) =>
        $"{state.Status} {state.Phase} {state.Attempts} [{string.Join(',', state.Tokens.Order(StringComparer.Ordinal))}]";

    private async Task WatchAsync(CancellationToken stop)
    {
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = options.SocketPath });
        try
        {
            await foreach (State state in client.WatchAsync(stop))
            {
                _published[state.Sequence] = Describe(state);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task JsonRpcAsync(CancellationToken stop)
    {
        using var http = new HttpClient();
        string issued = string.Join(',', labels.Order(StringComparer.Ordinal));
        for (int id = 1; !stop.IsCancellationRequested; id++)
        {
            JsonElement answer = await JsonRpcCalls.PostAsync(http, options.JsonRpc, "Provisioning.1.state", id);
            Interlocked.Increment(ref _answers);
            if (!answer.TryGetProperty("result", out JsonElement result))
            {
                _wrong.Enqueue("JSON-RPC state: " + answer);
                continue;
            }

            string tokens = string.Join(',', result.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).Order(StringComparer.Ordinal));
            if (result.GetProperty("status").GetInt32() == 200 && tokens != issued)
            {
                _wrong.Enqueue($"JSON-RPC state 200 with labels [{tokens}], issued [{issued}]");
            }
        }
    }

    private async Task GrpcAsync(CancellationToken stop)
    {
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = options.SocketPath });
        long last = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                State state = await client.GetStateAsync(CancellationToken.None);
                if (state.Sequence < last)
                {
                    _wrong.Enqueue($"gRPC sequence went back from {last} to {state.Sequence}");
                }

                last = state.Sequence;
                _grpcStates.TryAdd((state.Sequence, Describe(state)), 0);
                foreach (string label in labels)
                {
                    GetKeyResponse key = await client.GetKeyAsync(label, CancellationToken.None);
                    if (!isIssuedKey(label, key.Key.ToByteArray()))
                    {
                        _wrong.Enqueue($"gRPC key of {label} slot {key.Slot} was never issued");
                    }
                }

                Interlocked.Add(ref _answers, 1 + labels.Count);
            }
            catch (ProvisioningException exception)
            {
                _wrong.Enqueue("gRPC call failed: " + exception.Message);
            }
        }
    }
}
