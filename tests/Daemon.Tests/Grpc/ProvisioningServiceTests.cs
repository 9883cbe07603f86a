using Google.Protobuf;
using Microsoft.Extensions.Logging.Testing;
using CsCheck;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Health.V1;
using Provisioning.BackOfficeSimulator;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Tests.Infrastructure;
using Rpc = Provisioning.Contracts.V1.Provisioning;
using StateMessage = Provisioning.Contracts.V1.State;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>Every call through a raw GrpcChannel on the real socket, against the real host and the simulator.</summary>
public sealed class ProvisioningServiceTests
{
    [Fact]
    public async Task GetState_Provisioned_ReturnsIdTokensPhaseAndExpiry()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);

        StateMessage state = await new Rpc.ProvisioningClient(channel).GetStateAsync(new GetStateRequest());

        Assert.Equal(daemon.DeviceId, state.Id);
        Assert.Equal(200, state.Status);
        Assert.Equal(["cobalt", "netflix", "playready"], state.Tokens);
        Assert.Equal(Phase.Idle, state.Phase);
        Assert.Equal(Change.Current, state.Change);
        Assert.True(state.Attempts >= 1);
        Assert.NotNull(state.Issued);
        Assert.True(state.Expires.ToDateTimeOffset() > state.Issued.ToDateTimeOffset());
        Assert.Equal(daemon.Engine.Current.Sequence, state.Sequence);
    }

    [Fact]
    public async Task GetState_AfterAnAnnouncedRun_IsTheSameSnapshotAsAWatchsFirstMessage()
    {
        // The boot run's end was announced (provisioning_change); the state as it is now is no change.
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);
        Assert.True(daemon.Engine.Current.IsAnnounced);

        StateMessage state = await client.GetStateAsync(new GetStateRequest());
        using AsyncServerStreamingCall<StateMessage> watch = client.WatchState(new WatchStateRequest());
        Assert.True(await watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        StateMessage first = watch.ResponseStream.Current;

        Assert.False(state.ProvisioningChange);
        Assert.False(first.ProvisioningChange);
        if (first.Sequence == state.Sequence)
        {
            Assert.Equal(state, first);
        }
    }

    [Fact]
    public async Task GetId_Always_ReturnsTheDeviceId()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);

        GetIdResponse response = await new Rpc.ProvisioningClient(channel).GetIdAsync(new GetIdRequest());

        Assert.Equal(daemon.DeviceId, response.Id);
    }

    [Theory]
    [InlineData("provisioning.v1.provisioning", "getid")]
    [InlineData("provisioning.v1.Provisioning", "getId")]
    [InlineData("PROVISIONING.V1.PROVISIONING", "GETKEY")]
    public async Task MethodNamedInAnotherCase_IsUnimplementedAsGrpcNamesAreCaseSensitive(string service, string method)
    {
        // ASP.NET Core's router matches paths in any case; gRPC's names are exact (grpc-go and C-core answer so).
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var call = new Method<GetIdRequest, GetIdResponse>(
            MethodType.Unary, service, method,
            Marshallers.Create(m => m.ToByteArray(), GetIdRequest.Parser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), GetIdResponse.Parser.ParseFrom));

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(), new GetIdRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Theory]
    [InlineData("GetKey", "0a05")] // the label says 5 bytes, none follow
    [InlineData("GetKey", "0a80")] // the label's length breaks off
    [InlineData("GetKey", "0a02c328")] // the label is not UTF-8
    [InlineData("GetKey", "0affffffffffffffffff01")] // a negative length
    [InlineData("SetIndex", "10")] // the index's varint is missing
    [InlineData("WatchState", "0b")] // a group that never ends
    public async Task RequestThatDoesNotParse_IsInvalidArgumentNamingTheRequest_AndLogsNoFault(string method, string hex)
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            configureServices: services => services.AddFakeLogging());
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);

        await RpcAssert.FailsAsync(
            () => SendRawAsync(channel, method, Convert.FromHexString(hex), method == "WatchState" ? MethodType.ServerStreaming : MethodType.Unary),
            StatusCode.InvalidArgument, ErrorReasons.BadRequest, "request");

        Assert.Equal(daemon.DeviceId, (await new Rpc.ProvisioningClient(channel).GetIdAsync(new GetIdRequest())).Id);
        Assert.DoesNotContain(
            daemon.Services.GetFakeLogCollector().GetSnapshot(),
            r => r.Level >= LogLevel.Error || r.Category!.StartsWith("Grpc", StringComparison.Ordinal));
    }

    /// <summary>
    /// Request bodies that are not one message, framed by hand: gRPC itself answered these UNKNOWN or INTERNAL, and a
    /// length prefix of 2 GiB or more made it log an error with a stack trace once per call, from any caller.
    /// </summary>
    [Theory]
    [InlineData("", StatusCode.InvalidArgument)] // no message at all
    [InlineData("00000000", StatusCode.InvalidArgument)] // a prefix cut short
    [InlineData("00000000140a", StatusCode.InvalidArgument)] // the prefix says 20 bytes, one follows
    [InlineData("0200000000", StatusCode.InvalidArgument)] // a compressed flag of 2
    [InlineData("ff00000000", StatusCode.InvalidArgument)] // a compressed flag of 255
    [InlineData("00000000000000000000", StatusCode.InvalidArgument)] // two messages for a unary method
    [InlineData("0080000000", StatusCode.ResourceExhausted)] // 2 GiB
    [InlineData("00ffffffff", StatusCode.ResourceExhausted)] // 4 GiB - 1
    [InlineData("0100001001", StatusCode.ResourceExhausted)] // compressed, 4097 bytes
    [InlineData("0000001001", StatusCode.ResourceExhausted)] // 4097 bytes, none of which follow
    public async Task RequestBodyThatIsNotOneMessage_IsRefusedWithAStatusOfTheContract_AndLogsNothing(string hex, StatusCode expected)
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            configureServices: services => services.AddFakeLogging());
        using var invoker = new HttpMessageInvoker(GrpcChannels.HandlerForSocket(daemon.SocketPath));

        for (int call = 0; call < 3; call++)
        {
            using HttpRequestMessage request = RawGetId(Convert.FromHexString(hex));
            using HttpResponseMessage response = await invoker.SendAsync(request, TestContext.Current.CancellationToken);
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
            if (expected == StatusCode.InvalidArgument)
            {
                Assert.StartsWith("The request is not a valid provisioning.v1.GetIdRequest message", Assert.Single(response.TrailingHeaders.GetValues("grpc-message")), StringComparison.Ordinal);
            }
        }

        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        Assert.Equal(daemon.DeviceId, (await new Rpc.ProvisioningClient(channel).GetIdAsync(new GetIdRequest())).Id);
        Assert.Empty(daemon.Services.GetFakeLogCollector().GetSnapshot()
            .Where(r => r.Level >= LogLevel.Error || r.Category!.StartsWith("Grpc", StringComparison.Ordinal)
                || r.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .Select(r => $"{r.Level} {r.Category}: {r.Message}"));
    }

    /// <summary>README, "Errors": more than 32 header fields are 431 on that call, over 8 KiB close the connection.</summary>
    [Fact]
    public async Task RequestHeaders_OverTheFieldCountAre431_OverTheSizeCloseTheConnection()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var invoker = new HttpMessageInvoker(GrpcChannels.HandlerForSocket(daemon.SocketPath));
        byte[] getId = [0, 0, 0, 0, 0];

        using (HttpRequestMessage many = RawGetId(getId))
        {
            for (int i = 0; i < 32; i++)
            {
                many.Headers.TryAddWithoutValidation($"x-field-{i}", "v");
            }

            using HttpResponseMessage refused = await invoker.SendAsync(many, TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.RequestHeaderFieldsTooLarge, refused.StatusCode);
        }

        using (HttpRequestMessage few = RawGetId(getId))
        {
            using HttpResponseMessage answered = await invoker.SendAsync(few, TestContext.Current.CancellationToken);
            await answered.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.Equal("0", Assert.Single(answered.TrailingHeaders.GetValues("grpc-status")));
        }

        using HttpRequestMessage large = RawGetId(getId);
        large.Headers.TryAddWithoutValidation("x-pad", new string('p', 9_000));
        await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(large, TestContext.Current.CancellationToken));
    }

    /// <summary>An HTTP/2 request of GetId with the body as it is: framing and headers are the test's to choose.</summary>
    private static HttpRequestMessage RawGetId(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/provisioning.v1.Provisioning/GetId")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", "application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    [Fact]
    public async Task AnyRequestBytes_AreAnsweredWithAStatusOfTheContract_NeverUnknownOrInternal()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        string[] methods = ["GetKey", "SetIndex", "GetState", "GetId"];
        StatusCode[] contract = [StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition];

        await Gen.Select(Gen.Int[0, methods.Length - 1], Gen.Byte.Array[0, 40]).SampleAsync(
            async sample =>
            {
                (int method, byte[] request) = sample;
                StatusCode code = StatusCode.OK;
                try
                {
                    await SendRawAsync(channel, methods[method], request, MethodType.Unary);
                }
                catch (RpcException e)
                {
                    code = e.StatusCode;
                }

                Assert.Contains(code, contract);
            },
            iter: 300);
    }

    /// <summary>A call of the provisioning service with the request's bytes as they are, answered as bytes.</summary>
    private static async Task SendRawAsync(GrpcChannel channel, string name, byte[] request, MethodType type)
    {
        Marshaller<byte[]> bytes = Marshallers.Create(b => b, b => b);
        var method = new Method<byte[], byte[]>(type, "provisioning.v1.Provisioning", name, bytes, bytes);
        CallInvoker invoker = channel.CreateCallInvoker();
        if (type == MethodType.Unary)
        {
            await invoker.AsyncUnaryCall(method, null, new CallOptions(), request).ResponseAsync;
            return;
        }

        using AsyncServerStreamingCall<byte[]> call = invoker.AsyncServerStreamingCall(method, null, new CallOptions(), request);
        await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CallsEndedByTheirCallers_AtTheDevicesLogLevel_WriteNothingToTheLog()
    {
        // Before, gRPC logged each at Information with the exception's stack trace (about 45 lines a watch).
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" },
            configureServices: services => services.AddFakeLogging());
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);

        for (int i = 0; i < 3; i++)
        {
            using var cancel = new CancellationTokenSource();
            using AsyncServerStreamingCall<StateMessage> watch = client.WatchState(new WatchStateRequest(), cancellationToken: cancel.Token);
            Assert.True(await watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
            await cancel.CancelAsync();
            await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));
        }

        await Assert.ThrowsAsync<RpcException>(() => client.SetIndexAsync(new SetIndexRequest { Label = "no such label!" }).ResponseAsync);
        Assert.Equal(daemon.DeviceId, (await client.GetIdAsync(new GetIdRequest())).Id); // the server has handled the calls before
        await Task.Delay(200, TestContext.Current.CancellationToken);

        var records = daemon.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Category!.StartsWith("Provisioning.Daemon", StringComparison.Ordinal));
        Assert.DoesNotContain(records, r => r.Category!.StartsWith("Grpc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Provision_NoBackOffice_IsUnavailableWithReason()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);

        await RpcAssert.FailsAsync(async () => await client.ProvisionAsync(new ProvisionRequest()), StatusCode.Unavailable, "ERROR_UNAVAILABLE");
    }

    [Fact]
    public async Task Provision_DuringARun_IsFailedPreconditionInProgress()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            provisionAtBoot: false,
            simulator: o => o.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromSeconds(30))));
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);

        ProvisionResponse first = await client.ProvisionAsync(new ProvisionRequest());
        Assert.False(first.Completed);

        await RpcAssert.FailsAsync(async () => await client.ProvisionAsync(new ProvisionRequest()), StatusCode.FailedPrecondition, "ERROR_INPROGRESS");
    }

    [Fact]
    public async Task Provision_Wait_ReturnsTheStateAtTheEndOfTheRun()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(provisionAtBoot: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);

        ProvisionResponse response = await new Rpc.ProvisioningClient(channel).ProvisionAsync(new ProvisionRequest { Wait = true });

        Assert.True(response.Completed);
        Assert.Equal(Change.RunEnded, response.State.Change);
        Assert.Equal(200, response.State.Status);
        Assert.Equal(["cobalt", "netflix", "playready"], response.State.Tokens);
        Assert.True(response.State.ProvisioningChange);
    }

    [Fact]
    public async Task Provision_WaitAndTheRunFails_ReturnsTheErrorOfTheRun()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            provisionAtBoot: false,
            simulator: o => o.Faults.Add(FaultSpec.Answer(403)));
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);

        ProvisionResponse response = await new Rpc.ProvisioningClient(channel).ProvisionAsync(new ProvisionRequest { Wait = true });

        Assert.True(response.Completed);
        Assert.Equal(403, response.State.Status);
        Assert.NotEmpty(response.State.LastError);
        Assert.Empty(response.State.Tokens);
    }

    [Theory]
    [InlineData("bad label!", 1, "label", "ERROR_BAD_REQUEST", StatusCode.InvalidArgument)]
    [InlineData("netflix", -1, "index", "ERROR_BAD_REQUEST", StatusCode.InvalidArgument)]
    [InlineData("netflix", 4, "index", "ERROR_INVALID_RANGE", StatusCode.InvalidArgument)]
    [InlineData("nope", 1, "label", "ERROR_UNKNOWN_KEY", StatusCode.NotFound)]
    public async Task SetIndex_BadParams_IsRefusedNamingTheField(string label, int index, string field, string reason, StatusCode code)
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);

        await RpcAssert.FailsAsync(async () => await client.SetIndexAsync(new SetIndexRequest { Label = label, Index = index }), code, reason, field);
        Assert.DoesNotContain(daemon.Engine.Current.Indexes, i => i.Value != 0);
    }

    [Fact]
    public async Task SetIndex_NotProvisioned_IsFailedPrecondition()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(provisionAtBoot: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);

        await RpcAssert.FailsAsync(async () => await client.SetIndexAsync(new SetIndexRequest { Label = "netflix", Index = 1 }), StatusCode.FailedPrecondition, "ERROR_NOT_PROVISIONED");
    }

    [Fact]
    public async Task SetIndexThenGetKey_ChosenSlot_ReturnsThatSlotsKey()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);
        GetKeyResponse slot0 = await client.GetKeyAsync(new GetKeyRequest { Label = "netflix" });

        await client.SetIndexAsync(new SetIndexRequest { Label = "netflix", Index = 2 });
        GetKeyResponse slot2 = await client.GetKeyAsync(new GetKeyRequest { Label = "netflix" });

        Assert.Equal(0, slot0.Slot);
        Assert.Equal(2, slot2.Slot);
        Assert.Equal("netflix", slot2.Label);
        Assert.Equal(32, slot2.Key.Length);
        Assert.NotEqual(slot0.Key, slot2.Key);
        Assert.Equal(daemon.IssuedKey("netflix", 0), slot0.Key.ToByteArray());
        Assert.Equal(daemon.IssuedKey("netflix", 2), slot2.Key.ToByteArray());
        Assert.Equal(2, (await client.GetStateAsync(new GetStateRequest())).Indexes["netflix"]);
    }

    [Fact]
    public async Task GetKey_UnknownOrInvalidLabel_IsRefusedNamingTheLabel()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var client = new Rpc.ProvisioningClient(channel);

        await RpcAssert.FailsAsync(async () => await client.GetKeyAsync(new GetKeyRequest { Label = "nope" }), StatusCode.NotFound, "ERROR_UNKNOWN_KEY", "label");
        await RpcAssert.FailsAsync(async () => await client.GetKeyAsync(new GetKeyRequest { Label = string.Empty }), StatusCode.InvalidArgument, "ERROR_BAD_REQUEST", "label");
    }

    [Fact]
    public async Task HealthCheck_ReadyEngine_IsServing()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var health = new Health.HealthClient(channel);

        HealthCheckResponse overall = await health.CheckAsync(new HealthCheckRequest());
        HealthCheckResponse service = await health.CheckAsync(new HealthCheckRequest { Service = "provisioning.v1.Provisioning" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, overall.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, service.Status);
    }

    [Fact]
    public async Task Health_AnotherServiceName_IsNotFoundToCheckAndUnknownToWatch()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);
        using var channel = GrpcChannels.ForSocket(daemon.SocketPath);
        var health = new Health.HealthClient(channel);

        RpcException check = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "other.v1.Service" }).ResponseAsync);
        using AsyncServerStreamingCall<HealthCheckResponse> watch = health.Watch(new HealthCheckRequest { Service = "other.v1.Service" });

        Assert.Equal(StatusCode.NotFound, check.StatusCode);
        Assert.True(await watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Socket_AfterStart_HasMode0660()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(daemon.SocketPath));
    }

    [RootFact]
    public async Task Socket_ConfiguredGroup_IsTheSocketFilesGroup()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false, settings: new Dictionary<string, string?>
        {
            ["Grpc:SocketGroup"] = "65534",
        });

        (int exitCode, string output) = await Infrastructure.Shell.RunAsync("stat", "-c", "%g", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        Assert.Equal("65534", output.Trim());
    }
}
