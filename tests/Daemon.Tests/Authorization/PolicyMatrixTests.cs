using System.Net.WebSockets;
using System.Text;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Testing;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Common.Logging;
using Provisioning.Daemon.Grpc;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Tests.Grpc;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;
using ProvisioningApi = Provisioning.Contracts.V1.Provisioning;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>
/// Every method of both APIs, called by every class of caller (root, a uid the policy names, a gid it names, a uid
/// it does not name) over every transport (the gRPC socket; the bridge on IPv4 and IPv6 loopback TCP and on its Unix
/// socket, over HTTP and over a WebSocket), against a real daemon: allowed or refused exactly as the policy says,
/// refused with the exact answer of each transport, and each refusal logged once. Each caller makes all its calls on
/// one keep-alive HTTP connection and one WebSocket, so the TCP owner lookup is seen once per connection.
/// </summary>
public sealed class PolicyMatrixTests
{
    private static readonly PolicyCaller[] Callers = [PolicyCaller.Root, PolicyCaller.NamedUid, PolicyCaller.NamedGid, PolicyCaller.Other];

    /// <summary>Every JSON-RPC method: designator, params, operation (checked by <see cref="Matrix_CoversEveryMethodOfBothApis"/>).</summary>
    internal static readonly (string Method, string? Params, Operation Operation)[] JsonRpcCalls =
    [
        ("Provisioning.1.id", null, Operation.Read),
        ("Provisioning.1.state", null, Operation.Read),
        ("Provisioning.1.exists", """{"method":"provision"}""", Operation.Read),
        ("Provisioning.1.register", """{"event":"provisioningchange","id":"m"}""", Operation.Read),
        ("Provisioning.1.unregister", """{"event":"provisioningchange","id":"m"}""", Operation.Read),
        ("Provisioning.1.provision", null, Operation.Provision),
        ("Provisioning.1.index", """{"label":"netflix","index":1}""", Operation.Provision),
        ("Provisioning.1.nope", null, Operation.Read),
        ("Controller.1.status@Provisioning", null, Operation.Read),
        ("Controller.1.exists", """{"method":"activate"}""", Operation.Read),
        ("Controller.1.register", """{"event":"statechange","id":"m"}""", Operation.Read),
        ("Controller.1.unregister", """{"event":"statechange","id":"m"}""", Operation.Read),
        ("Controller.1.deactivate", """{"callsign":"Provisioning"}""", Operation.Controller),
        ("Controller.1.activate", """{"callsign":"Provisioning"}""", Operation.Controller),
    ];

    /// <summary>AuthorizationLog.TcpCallerLookedUp, a Debug event: StartAsync raises the policy's log level to see it.</summary>
    private const int TcpCallerLookedUpEventId = 5101;

    private static readonly Dictionary<string, string?> Policy = new(StringComparer.Ordinal)
    {
        ["Authorization:Provision:Uids:0"] = "4242",
        ["Authorization:Provision:Gids:0"] = "4343",
        ["Authorization:Controller:Uids:0"] = "4242",
        ["Authorization:Controller:Gids:0"] = "4343",
        ["Authorization:Keys:netflix:Uids:0"] = "4242",
        ["Authorization:Keys:netflix:Gids:0"] = "4343",
    };

    [Fact]
    public void Matrix_CoversEveryMethodOfBothApis()
    {
        HashSet<string> provisioningNames = [.. JsonRpcCalls.Where(c => c.Method.StartsWith("Provisioning.", StringComparison.Ordinal)).Select(c => c.Method.Split('.', '@')[2]).Where(name => name != "nope")];
        HashSet<string> controllerNames = [.. JsonRpcCalls.Where(c => c.Method.StartsWith("Controller.", StringComparison.Ordinal)).Select(c => c.Method.Split('.', '@')[2])];
        Assert.Superset(new HashSet<string>(JsonRpcDispatcher.MethodNames), provisioningNames);
        Assert.Superset(new HashSet<string>(JsonRpcDispatcher.ControllerMethodNames), controllerNames);
        Assert.Superset(provisioningNames, new HashSet<string>(JsonRpcDispatcher.MethodNames));
        Assert.Superset(controllerNames, new HashSet<string>(JsonRpcDispatcher.ControllerMethodNames));

        string[] served = [.. ProvisioningApi.Descriptor.Methods.Select(m => $"/{ProvisioningApi.Descriptor.FullName}/{m.Name}")
            .Concat(Health.Descriptor.Methods.Select(m => $"/{Health.Descriptor.FullName}/{m.Name}"))];
        Assert.Equal(served.Order(StringComparer.Ordinal), GrpcOperations.ByMethod.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(served.Order(StringComparer.Ordinal), GrpcCalls.Select(c => c.Path).Distinct().Order(StringComparer.Ordinal));
    }

    [RootFact]
    public async Task Grpc_EveryMethodByEveryCaller_AsThePolicySays()
    {
        await using GrpcTestDaemon daemon = await StartAsync(jsonRpcUrl: "http://127.0.0.1:0", jsonRpcSocket: null);
        File.SetUnixFileMode(daemon.SocketPath, (UnixFileMode)0x1B6);
        var wrong = new List<string>();
        int refused = 0;
        foreach (PolicyCaller caller in Callers)
        {
            await using OtherUserRelay relay = await OtherUserRelay.StartAsync(caller, "UNIX-CONNECT:" + daemon.SocketPath);
            using GrpcChannel channel = relay.CreateGrpcChannel();
            foreach ((string path, Operation operation, string? label, Func<GrpcChannel, Task> call) in GrpcCalls)
            {
                bool expected = Allowed(caller, operation, label, gidKnown: true);
                StatusCode? status = null;
                try
                {
                    await call(channel);
                }
                catch (RpcException e)
                {
                    status = e.StatusCode;
                }

                refused += expected ? 0 : 1;
                if ((status == StatusCode.PermissionDenied) == expected)
                {
                    wrong.Add($"{caller} {path}{(label is null ? "" : "(" + label + ")")}: expected {(expected ? "allowed" : "refused")}, got {status?.ToString() ?? "OK"}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        AssertRefusalsLogged(daemon.Services, refused, "GrpcSocket");
    }

    [RootTheory]
    [InlineData("tcp4")]
    [InlineData("tcp6")]
    [InlineData("unix")]
    public async Task JsonRpc_EveryMethodByEveryCaller_OverHttpAndWebSocket_AsThePolicySays(string transport)
    {
        using var socketFolder = new TempDirectory();
        File.SetUnixFileMode(socketFolder.Path, (UnixFileMode)0x1ED);
        string? socketPath = transport == "unix" ? socketFolder.Combine("j.sock") : null;
        await using GrpcTestDaemon daemon = await StartAsync(
            jsonRpcUrl: transport == "tcp6" ? "http://[::1]:0" : "http://127.0.0.1:0",
            jsonRpcSocket: socketPath);
        string target = transport switch
        {
            "tcp4" => $"TCP4:127.0.0.1:{daemon.JsonRpcBaseAddress.Port}",
            "tcp6" => $"TCP6:[::1]:{daemon.JsonRpcBaseAddress.Port}",
            _ => "UNIX-CONNECT:" + socketPath,
        };

        var wrong = new List<string>();
        int refused = 0;
        uint id = 0;
        foreach (PolicyCaller caller in Callers)
        {
            await using OtherUserRelay relay = await OtherUserRelay.StartAsync(caller, target);
            using HttpClient http = relay.CreateHttpClient();
            using ClientWebSocket socket = await relay.ConnectWebSocketAsync();
            foreach ((string method, string? parameters, Operation operation) in JsonRpcCalls)
            {
                bool expected = Allowed(caller, operation, label: null, gidKnown: transport == "unix");
                refused += expected ? 0 : 2;
                string request = Requests.Call(method, ++id, parameters);
                using var content = new StringContent(request, Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await http.PostAsync("jsonrpc", content);
                Check("HTTP", (int)response.StatusCode, await response.Content.ReadAsStringAsync(), id);
                string overWebSocket = await socket.CallAsync(Requests.Call(method, ++id, parameters));
                Check("WebSocket", 0, overWebSocket, id);

                void Check(string over, int status, string body, uint callId)
                {
                    // Thunder's exact refusal, HTTP 202 like every error; an allowed call never sees -32604.
                    bool asExpected = expected
                        ? !body.Contains("-32604", StringComparison.Ordinal)
                        : body == Requests.Error(-32604, "method invokation not allowed.", callId) && status is 0 or 202;
                    if (!asExpected)
                    {
                        wrong.Add($"{caller} {method} over {over}: expected {(expected ? "allowed" : "refused")}, got {status} {body}");
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        AssertRefusalsLogged(daemon.Services, refused, transport == "unix" ? "JsonRpcSocket" : "JsonRpcTcp");

        // Every caller's two connections make privileged calls: one /proc/net/tcp lookup each, however many calls.
        int lookups = daemon.Services.GetFakeLogCollector().GetSnapshot().Count(r => r.Id.Id == TcpCallerLookedUpEventId);
        Assert.Equal(transport == "unix" ? 0 : Callers.Length * 2, lookups);
    }

    /// <summary>The policy of <see cref="Policy"/>: reads for everyone; the rest for root and the named uid, and the
    /// named gid where the kernel tells the gid; keys only for netflix.</summary>
    private static bool Allowed(PolicyCaller caller, Operation operation, string? label, bool gidKnown) =>
        operation == Operation.Read
        || caller.IsRoot
        || ((caller == PolicyCaller.NamedUid || (caller == PolicyCaller.NamedGid && gidKnown))
            && (operation != Operation.Key || label == "netflix"));

    /// <summary>One line per refusal, up to the throttle's burst (the matrix makes more refusals than that in a minute).</summary>
    private static void AssertRefusalsLogged(IServiceProvider services, int refused, string transport)
    {
        var refusals = services.GetFakeLogCollector().GetSnapshot().Where(r => r.Id.Id == 5100).ToList();
        Assert.Equal(Math.Min(refused, LogThrottle.Burst), refusals.Count);
        Assert.All(refusals, r =>
        {
            Assert.Contains($"over {transport} for uid ", r.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("uid 0 ", r.Message, StringComparison.Ordinal);
        });
    }

    private static async Task<GrpcTestDaemon> StartAsync(string jsonRpcUrl, string? jsonRpcSocket)
    {
        var settings = new Dictionary<string, string?>(Policy, StringComparer.Ordinal)
        {
            ["JsonRpc:Url"] = jsonRpcUrl,
            ["JsonRpc:SocketPath"] = jsonRpcSocket,
            ["Logging:LogLevel:Provisioning.Daemon.Authorization"] = "Debug",
        };
        GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(settings: settings, configureServices: services => services.AddFakeLogging());
        File.SetUnixFileMode(daemon.Directory, (UnixFileMode)0x1ED);
        return daemon;
    }

    private static readonly (string Path, Operation Operation, string? Label, Func<GrpcChannel, Task> Call)[] GrpcCalls =
    [
        (GrpcPath("GetId"), Operation.Read, null, async c => await new ProvisioningApi.ProvisioningClient(c).GetIdAsync(new GetIdRequest())),
        (GrpcPath("GetState"), Operation.Read, null, async c => await new ProvisioningApi.ProvisioningClient(c).GetStateAsync(new GetStateRequest())),
        (GrpcPath("WatchState"), Operation.Read, null, async c =>
        {
            using AsyncServerStreamingCall<Provisioning.Contracts.V1.State> watch = new ProvisioningApi.ProvisioningClient(c).WatchState(new WatchStateRequest());
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        }),
        (GrpcPath("Provision"), Operation.Provision, null, async c => await new ProvisioningApi.ProvisioningClient(c).ProvisionAsync(new ProvisionRequest())),
        (GrpcPath("SetIndex"), Operation.Provision, null, async c => await new ProvisioningApi.ProvisioningClient(c).SetIndexAsync(new SetIndexRequest { Label = "netflix", Index = 1 })),
        (GrpcPath("GetKey"), Operation.Key, "netflix", async c => await new ProvisioningApi.ProvisioningClient(c).GetKeyAsync(new GetKeyRequest { Label = "netflix" })),
        (GrpcPath("GetKey"), Operation.Key, "playready", async c => await new ProvisioningApi.ProvisioningClient(c).GetKeyAsync(new GetKeyRequest { Label = "playready" })),
        ($"/{Health.Descriptor.FullName}/Check", Operation.Read, null, async c => await new Health.HealthClient(c).CheckAsync(new HealthCheckRequest())),
        ($"/{Health.Descriptor.FullName}/Watch", Operation.Read, null, async c =>
        {
            using AsyncServerStreamingCall<HealthCheckResponse> watch = new Health.HealthClient(c).Watch(new HealthCheckRequest());
            Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        }),
    ];

    private static string GrpcPath(string method) => $"/{ProvisioningApi.Descriptor.FullName}/{method}";
}
