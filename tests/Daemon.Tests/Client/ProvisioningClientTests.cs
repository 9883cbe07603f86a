using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Tests.Grpc;
using Provisioning.Daemon.Tests.Infrastructure;
using StateMessage = Provisioning.Contracts.V1.State;

namespace Provisioning.Daemon.Tests.Client;

public sealed class ProvisioningClientTests
{
    [Fact]
    public async Task Calls_ProvisionedDaemon_MirrorTheApi()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using ProvisioningClient client = daemon.CreateClient();

        string id = await client.GetIdAsync();
        await client.SetIndexAsync("playready", 3);
        StateMessage state = await client.GetStateAsync();
        GetKeyResponse key = await client.GetKeyAsync("playready");
        await client.SetIndexAsync(null, null);
        GetKeyResponse reset = await client.GetKeyAsync("playready");
        ProvisionResponse provision = await client.ProvisionAsync(wait: true);

        Assert.Equal(daemon.DeviceId, id);
        Assert.Equal(3, state.Indexes["playready"]);
        Assert.Equal(["cobalt", "netflix", "playready"], state.Tokens);
        Assert.Equal(3, key.Slot);
        Assert.Equal(0, reset.Slot);
        Assert.NotEqual(key.Key, reset.Key);
        Assert.True(provision.Completed);
        Assert.Equal(Change.RunEnded, provision.State.Change);
        Assert.Equal(200, provision.State.Status);
    }

    [Fact]
    public async Task ProvisionAsync_NoBackOffice_ThrowsUnavailableWithTheThunderReason()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using ProvisioningClient client = daemon.CreateClient();

        var e = await Assert.ThrowsAsync<ProvisioningUnavailableException>(() => client.ProvisionAsync());

        Assert.Equal("ERROR_UNAVAILABLE", e.Reason);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public async Task ProvisionAsync_DuringARun_ThrowsInProgress()
    {
        await using GrpcTestDaemon daemon = await StartWithASlowBackOfficeAsync();
        using ProvisioningClient client = daemon.CreateClient();
        await client.ProvisionAsync();

        var e = await Assert.ThrowsAsync<ProvisioningInProgressException>(() => client.ProvisionAsync(wait: true));

        Assert.Equal("ERROR_INPROGRESS", e.Reason);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
    }

    [Fact]
    public async Task SetIndexAsync_OutOfRange_ThrowsNamingTheField()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using ProvisioningClient client = daemon.CreateClient();

        var e = await Assert.ThrowsAsync<ProvisioningException>(() => client.SetIndexAsync("netflix", 9));

        Assert.Equal("index", e.Field);
        Assert.Equal("ERROR_INVALID_RANGE", e.Reason);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }

    [Fact]
    public async Task GetStateAsync_NoDaemon_ThrowsDaemonUnreachable()
    {
        using var temp = new TempDirectory();
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = temp.Combine("none.sock") });

        var e = await Assert.ThrowsAsync<DaemonUnreachableException>(() => client.GetStateAsync());

        Assert.Contains(temp.Combine("none.sock"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchState_DaemonStops_TheStreamEndsUnavailableInsteadOfHoldingShutdown()
    {
        GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var raw = new Contracts.V1.Provisioning.ProvisioningClient(channel);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using AsyncServerStreamingCall<StateMessage> call = raw.WatchState(new WatchStateRequest(), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));

        Task stopping = daemon.DisposeAsync().AsTask();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
            }
        });
        await stopping;

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("provisioningd is stopping", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_Cancelled_EndsWithOperationCanceled()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using ProvisioningClient client = daemon.CreateClient();
        using var cts = new CancellationTokenSource();
        await using IAsyncEnumerator<StateMessage> watch = client.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());

        ValueTask<bool> next = watch.MoveNextAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task UnaryCall_Cancelled_EndsWithOperationCanceled()
    {
        await using GrpcTestDaemon daemon = await StartWithASlowBackOfficeAsync();
        using ProvisioningClient client = daemon.CreateClient();
        using var cts = new CancellationTokenSource();
        Task<ProvisionResponse> waiting = client.ProvisionAsync(wait: true, cts.Token);
        while (daemon.Engine.Current.Phase != Provisioning.Daemon.Engine.EnginePhase.Running)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken); // the call is in, and its run waits on the back office
        }

        await cts.CancelAsync();

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(cts.Token, e.CancellationToken);
    }

    [Theory]
    [InlineData(SocketError.AccessDenied, false)] // the caller is not in the socket's group: reconnecting cannot help
    [InlineData(SocketError.ConnectionRefused, true)] // the daemon restarts
    [InlineData(SocketError.AddressNotAvailable, true)] // its socket file is not there yet
    public void WatchAsync_ReconnectsAfterAnUnreachableDaemon_ButNotAfterASocketItMayNotOpen(SocketError error, bool transient)
    {
        // What Grpc.Net.Client reports when connect(2) on the socket fails (a real EACCES needs a caller that is not
        // root, which the in-process client cannot be; provisioningctl's test under another uid sees it end to end).
        var failure = new RpcException(new global::Grpc.Core.Status(
            StatusCode.Unavailable, "Error connecting to subchannel.", new HttpRequestException("connect", new SocketException((int)error))));

        Assert.Equal(transient, ProvisioningClient.IsTransient(failure));
    }

    [Fact]
    public async Task WatchAsync_DaemonRestarts_ResumesWithTheLatestStateAndFollowingChanges()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using ProvisioningClient client = daemon.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using IAsyncEnumerator<StateMessage> watch = client.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(Change.Current, watch.Current.Change);

        await client.SetIndexAsync("netflix", 2);
        StateMessage beforeRestart = await NextAsync(watch, s => s.Indexes.GetValueOrDefault("netflix") == 2);
        await daemon.RestartAsync();
        StateMessage afterRestart = await NextAsync(watch, s => s.Change == Change.Current);
        await client.SetIndexAsync("netflix", 3);
        StateMessage change = await NextAsync(watch, s => s.Change == Change.IndexChanged);

        Assert.Equal(Change.IndexChanged, beforeRestart.Change);
        Assert.Equal(2, afterRestart.Indexes["netflix"]);
        Assert.Equal(["cobalt", "netflix", "playready"], afterRestart.Tokens);
        Assert.Equal(3, change.Indexes["netflix"]);
        Assert.Equal(afterRestart.Sequence + 1, change.Sequence);
    }

    [Fact]
    public async Task AddProvisioningClient_ConfiguredSocket_ResolvesAWorkingClient()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        await using ServiceProvider services = new ServiceCollection()
            .AddProvisioningClient(o => o.SocketPath = daemon.SocketPath)
            .BuildServiceProvider();

        ProvisioningClient client = services.GetRequiredService<ProvisioningClient>();

        Assert.Same(client, services.GetRequiredService<ProvisioningClient>());
        Assert.Equal(daemon.SocketPath, client.SocketPath);
        Assert.Equal(daemon.DeviceId, await client.GetIdAsync());
    }

    [Fact]
    public void Options_Default_IsTheDaemonsDefaultSocket()
    {
        Assert.Equal("/run/provisioning/provisioning.sock", new ProvisioningClientOptions().SocketPath);
        Assert.Equal(Daemon.Grpc.GrpcOptions.DefaultSocketPath, new ProvisioningClientOptions().SocketPath);
    }

    /// <summary>A daemon that has not provisioned, whose back office takes 30 s to answer: a run started stays in progress.</summary>
    private static Task<GrpcTestDaemon> StartWithASlowBackOfficeAsync() =>
        GrpcTestDaemon.StartAsync(provisionAtBoot: false, simulator: o => o.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromSeconds(30))));

    private static async Task<StateMessage> NextAsync(IAsyncEnumerator<StateMessage> watch, Func<StateMessage, bool> predicate)
    {
        while (await watch.MoveNextAsync())
        {
            if (predicate(watch.Current))
            {
                return watch.Current;
            }
        }

        throw new InvalidOperationException("The watch ended.");
    }
}
