using Grpc.Core;
using Provisioning.Contracts.V1;
using Rpc = Provisioning.Contracts.V1.Provisioning;
using StateMessage = Provisioning.Contracts.V1.State;

namespace Provisioning.Daemon.Tests.Grpc;

public sealed class WatchStateTests
{
    [Fact]
    public async Task WatchState_1000Changes_SnapshotFirstThenEveryChangeInOrderWithoutGaps()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using AsyncServerStreamingCall<StateMessage> call = new Rpc.ProvisioningClient(channel).WatchState(new WatchStateRequest(), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        StateMessage first = call.ResponseStream.Current;

        Task<List<StateMessage>> received = ReadAsync(call.ResponseStream, 1000, cts.Token);
        await MakeIndexChangesAsync(daemon, 1000);
        List<StateMessage> changes = await received;

        Assert.Equal(Change.Current, first.Change);
        Assert.Equal(["cobalt", "netflix", "playready"], first.Tokens);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => first.Sequence + i), changes.Select(c => c.Sequence));
        Assert.All(changes, c => Assert.Equal(Change.IndexChanged, c.Change));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => 1 + (i % 2)), changes.Select(c => c.Indexes["netflix"]));
    }

    [Fact]
    public async Task WatchState_StalledWatcher_IsEndedWithoutDelayingOthers()
    {
        const int Changes = 6000;
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Grpc:WatchCapacity"] = "16",
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var stalledChannel = GrpcChannels.ForSocket(daemon.SocketPath);
        using var activeChannel = GrpcChannels.ForSocket(daemon.SocketPath);
        using AsyncServerStreamingCall<StateMessage> stalled = new Rpc.ProvisioningClient(stalledChannel).WatchState(new WatchStateRequest(), cancellationToken: cts.Token);
        using AsyncServerStreamingCall<StateMessage> active = new Rpc.ProvisioningClient(activeChannel).WatchState(new WatchStateRequest(), cancellationToken: cts.Token);
        Assert.True(await stalled.ResponseStream.MoveNext(cts.Token));
        Assert.True(await active.ResponseStream.MoveNext(cts.Token));
        long start = active.ResponseStream.Current.Sequence;

        Task<List<StateMessage>> received = ReadAsync(active.ResponseStream, Changes, cts.Token);
        await MakeIndexChangesAsync(daemon, Changes);
        List<StateMessage> changes = await received;

        // The active watcher saw every change although the stalled one read nothing meanwhile.
        Assert.Equal(Enumerable.Range(1, Changes).Select(i => start + i), changes.Select(c => c.Sequence));

        // The stalled watcher, when it reads again, gets what was buffered and then a clear end.
        RpcException ended = await RpcAssert.FailsAsync(
            async () =>
            {
                while (await stalled.ResponseStream.MoveNext(cts.Token))
                {
                }
            },
            StatusCode.ResourceExhausted,
            "ERROR_WATCHER_OVERFLOW");
        Assert.Contains("16", ended.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task MakeIndexChangesAsync(GrpcTestDaemon daemon, int count)
    {
        for (int i = 0; i < count; i++)
        {
            // Alternating slots 1 and 2: every call is a change.
            Assert.Equal(Daemon.Engine.EngineError.None, await daemon.Engine.SetIndexAsync("netflix", 1 + (i % 2)));
        }
    }

    private static async Task<List<StateMessage>> ReadAsync(IAsyncStreamReader<StateMessage> stream, int count, CancellationToken cancellationToken)
    {
        var states = new List<StateMessage>(count);
        while (states.Count < count && await stream.MoveNext(cancellationToken))
        {
            states.Add(stream.Current);
        }

        return states;
    }
}
