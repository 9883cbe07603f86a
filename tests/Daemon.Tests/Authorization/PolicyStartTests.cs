using System.Net;
using System.Net.Sockets;
using System.Text;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>The policy as the operator meets it: at start, across a restart, and for a caller nobody can identify.</summary>
public sealed class PolicyStartTests : IDisposable
{
    private const string Provision = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.provision"}""";
    private const string Id = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.id"}""";
    private const string Token = "t0ken-for-the-ui";

    private static readonly string Refused = Requests.Error(-32604, "method invokation not allowed.");

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Start_WithTheOldGrpcAuthorizationKeys_Exits78NamingTheNewKey()
    {
        await using var daemon = DaemonProcess.Start([
            "--Device:Id=WPE00000uCfrLF45", $"--State:Directory={_temp.Combine("state")}", $"--Grpc:SocketPath={_temp.Combine("p.sock")}",
            "--JsonRpc:Url=", "--Grpc:Authorization:Provision:Uids:0=1000", "--Grpc:Authorization:Keys:netflix:Gids:0=44"]);

        Assert.Equal(78, await daemon.WaitForExitAsync());
        Assert.Contains(daemon.Lines, l => l.Contains("Authorization:Provision:Uids:0: is no longer read as Grpc:Authorization:Provision:Uids:0", StringComparison.Ordinal)
            && l.Contains("rename it to Authorization:Provision:Uids:0", StringComparison.Ordinal));
        Assert.Contains(daemon.Lines, l => l.Contains("rename it to Authorization:Keys:netflix:Gids:0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithABadLabelRule_Exits78NamingIt()
    {
        await using var daemon = DaemonProcess.Start([
            "--Device:Id=WPE00000uCfrLF45", $"--State:Directory={_temp.Combine("state")}", $"--Grpc:SocketPath={_temp.Combine("p.sock")}",
            "--JsonRpc:Url=", "--Authorization:Keys:bad label!:Uids:0=1000"]);

        Assert.Equal(78, await daemon.WaitForExitAsync());
        Assert.Contains(daemon.Lines, l => l.Contains("Authorization:Keys:bad label!: not a valid label", StringComparison.Ordinal));
    }

    [RootFact]
    public async Task PolicyChange_TakesEffectAtRestart_ForAnotherUidOverTcp()
    {
        Dictionary<string, string?> settings = [];
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.WithSimulator = false;
            o.ProvisionAtBoot = false;
            settings = o.Settings;
        });

        Assert.Equal(Refused, await PostAsOtherAsync(daemon, Provision));

        settings["Authorization:Provision:Uids:0"] = PolicyCaller.Other.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await daemon.RestartAsync();

        // Allowed now: the engine answers (no back office: ERROR_UNAVAILABLE), not the policy.
        Assert.Equal(Requests.Error(2, "ERROR_UNAVAILABLE"), await PostAsOtherAsync(daemon, Provision));

        settings.Remove("Authorization:Provision:Uids:0");
        settings["Authorization:Read:Everyone"] = "false";
        await daemon.RestartAsync();
        Assert.Equal(Refused, await PostAsOtherAsync(daemon, Id));
    }

    /// <summary>
    /// The daemon (the built binary) runs where /proc/net is hidden from it, as ProcSubset=pid or a sandbox without
    /// /proc would do: no TCP caller can be identified, so even root over TCP gets only what everyone gets, plus what
    /// a rule allows tokens (here Provision), for every JSON-RPC method of the policy matrix. On its Unix socket,
    /// SO_PEERCRED still names root.
    /// </summary>
    [RootFact]
    public async Task UnidentifiableTcpCaller_GetsWhatEveryoneGets_TokensStillGrant_UnixSocketStillKnowsRoot()
    {
        int port = LoopbackPort.Free();
        string jsonRpcSocket = _temp.Combine("j.sock");
        await using var daemon = DaemonProcess.Start(
            [
                "--Device:Id=WPE00000uCfrLF45", $"--State:Directory={_temp.Combine("state")}", $"--Grpc:SocketPath={_temp.Combine("p.sock")}",
                "--Grpc:SocketGroup=", $"--JsonRpc:Url=http://127.0.0.1:{port}", $"--JsonRpc:SocketPath={jsonRpcSocket}",
                $"--JsonRpc:Tokens:0={Token}", "--Authorization:Provision:Tokens=true", "--Boot:MaxDelay=1.00:00:00",
            ],
            wrapper: ["unshare", "--mount", "sh", "-c", "mount -t tmpfs none /proc/$$/net && exec \"$@\"", "sh"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilListeningAsync(http, daemon);

        // Over TCP the caller (root) cannot be identified: what everyone may do (Read), and what a token may do
        // (Provision); Controller's rule names only root, which nobody can be shown to be here.
        Assert.Equal(Requests.Result("\"WPE00000uCfrLF45\""), await PostAsync(http, Id, "tcp"));
        Assert.Equal(Requests.Error(2, "ERROR_UNAVAILABLE"), await PostAsync(http, Provision, "tcp"));
        var wrong = new List<string>();
        uint id = 1;
        foreach ((string method, string? parameters, Operation operation) in PolicyMatrixTests.JsonRpcCalls)
        {
            bool expected = operation != Operation.Controller;
            string answer = await PostAsync(http, Requests.Call(method, ++id, parameters), "tcp");
            bool refused = answer == Requests.Error(-32604, "method invokation not allowed.", id);
            if (refused == expected || (!refused && answer.Contains("-32604", StringComparison.Ordinal)))
            {
                wrong.Add($"{method}: expected {(expected ? "allowed" : "refused")}, got {answer}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // Over the Unix socket SO_PEERCRED names root.
        const string Deactivate = """{"jsonrpc":"2.0","id":1,"method":"Controller.1.deactivate","params":{"callsign":"Provisioning"}}""";
        using var overSocket = new HttpClient(UnixSocketHandler(jsonRpcSocket)) { BaseAddress = new Uri("http://localhost/") };
        Assert.Equal(Requests.Result("null"), await PostAsync(overSocket, Deactivate, "unix"));

        foreach (string method in PolicyMatrixTests.JsonRpcCalls.Where(c => c.Operation == Operation.Controller).Select(c => c.Method))
        {
            string refusal = await daemon.WaitForLineAsync(l => l.Contains($"Refused {method} ", StringComparison.Ordinal));
            Assert.Contains("over JsonRpcTcp for uid unknown gid unknown pid unknown", refusal, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(daemon.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    /// <summary>A POST with the token, which this daemon asks of every request.</summary>
    private static async Task<string> PostAsync(HttpClient http, string body, string over)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "jsonrpc") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", Token);

        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{over}: HTTP {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> PostAsOtherAsync(TestDaemon daemon, string body)
    {
        await using OtherUserRelay relay = await OtherUserRelay.StartAsync(PolicyCaller.Other, $"TCP4:127.0.0.1:{daemon.JsonRpcBaseAddress.Port}");
        using HttpClient http = relay.CreateHttpClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync("jsonrpc", content);
        return await response.Content.ReadAsStringAsync();
    }

    private static SocketsHttpHandler UnixSocketHandler(string path) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    private static async Task WaitUntilListeningAsync(HttpClient http, DaemonProcess daemon)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync("jsonrpc", timeout.Token);
                return;
            }
            catch (HttpRequestException) when (!timeout.IsCancellationRequested)
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("The daemon did not listen; it printed:\n" + string.Join('\n', daemon.Lines));
            }
        }
    }
}
