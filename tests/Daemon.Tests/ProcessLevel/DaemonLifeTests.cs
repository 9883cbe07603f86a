using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Daemon.Common.Files;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Memory;
using Provisioning.Daemon.Tests.Deploy;
using Provisioning.Daemon.Tests.Grpc;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.ProcessLevel;

/// <summary>
/// The daemon's whole life as a process, as a device runs it: the set the cross-built binaries run under an
/// emulator too (.ci/arm64), so each native call (peer credentials, the state directory's flush, signals,
/// OpenSSL) is exercised on the target's CPU and ABI.
/// </summary>
public sealed partial class DaemonLifeTests : IDisposable
{
    private const uint ForeignUid = OtherUserCli.Uid;

    private readonly TempDirectory _temp = new();
    private readonly string _deviceId = ProvisionId.Derive(Guid.NewGuid().ToString());

    public void Dispose() => _temp.Dispose();

    [RootFact]
    public async Task EmptyState_ThroughFaultsAndA202Chain_ProvisionsAndServesBothApisButNotAForeignUid()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Faults =
            [
                FaultSpec.Answer(503),
                FaultSpec.ResetConnection(),
                FaultSpec.AcceptedAfter(polls: 2, retryAfter: 1),
            ],
        });
        await using var daemon = DaemonProcess.Start([.. Arguments(simulator), $"--Grpc:SocketGroup={ForeignUid}"]);

        await daemon.WaitForLineAsync(line => line.Contains("No state file", StringComparison.Ordinal));
        await daemon.WaitUntilProvisionedAndListeningAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        IReadOnlyList<RecordedRequest> log = await simulator.WaitForRequestsAsync(
            l => l.Count >= 5 && l.All(r => r.Outcome != RequestOutcome.Pending), patience.Token);
        Assert.Equal(["503", "reset", "202", "202", "200"], log.Select(r => r.Answer));

        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
        Contracts.V1.State state = await client.GetStateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(_deviceId, state.Id);
        Assert.Equal(200, state.Status);
        Assert.Equal(32, (await client.GetKeyAsync("netflix", TestContext.Current.CancellationToken)).Key.Length);

        using JsonDocument jsonRpc = await PostJsonRpcAsync(daemon, """{"jsonrpc":"2.0","id":7,"method":"Provisioning.1.state"}""");
        JsonElement result = jsonRpc.RootElement.GetProperty("result");
        Assert.Equal(_deviceId, result.GetProperty("id").GetString());
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(3, result.GetProperty("tokens").GetArrayLength());

        var foreignStatus = await OtherUserCli.RunAsync(_temp.Path, "--socket", SocketPath, "status", "--json");
        var foreignKey = await OtherUserCli.RunAsync(_temp.Path, "--socket", SocketPath, "key", "netflix", "--out", _temp.Combine("stolen.key"));
        Assert.True(foreignStatus.ExitCode == 0, foreignStatus.Error);
        Assert.Contains(_deviceId, foreignStatus.Output, StringComparison.Ordinal);
        Assert.Equal(5, foreignKey.ExitCode);
        Assert.Contains("permission denied", foreignKey.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("stolen.key")));
        // The refusal names the caller as SO_PEERCRED gave it: the ucred layout read right on this CPU.
        string refusal = await daemon.WaitForLineAsync(line => line.Contains("Refused GetKey", StringComparison.Ordinal));
        Assert.Contains($"uid {ForeignUid} gid {ForeignUid} pid ", refusal, StringComparison.Ordinal);

        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    [Fact]
    public async Task Restart_AfterSigterm_ServesTheKeysStoredEncryptedAndOwnerOnlyWithoutAskingTheBackOfficeAgain()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        string keyEncryptionKey = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        string[] args = [.. Arguments(simulator), $"--State:KeyEncryptionKeyFile={keyEncryptionKey}"];
        byte[] key;

        await using (var first = DaemonProcess.Start(args))
        {
            await first.WaitUntilProvisionedAndListeningAsync();
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
            key = (await client.GetKeyAsync("netflix", TestContext.Current.CancellationToken)).Key.ToByteArray();
            await first.SignalAsync("TERM");
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        string stateDirectory = _temp.Combine("state");
        string[] files = Directory.GetFiles(stateDirectory);
        Assert.Equal(DurableFile.OwnerOnlyDirectory, File.GetUnixFileMode(stateDirectory));
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Equal(DurableFile.OwnerOnlyFile, File.GetUnixFileMode(file)));
        Assert.Equal("PVDK"u8.ToArray(), File.ReadAllBytes(KeyEncryptionSamples.KeyFileIn(stateDirectory))[..4]);
        Assert.All(files, file => Assert.False(KeyEncryptionSamples.Contains(File.ReadAllBytes(file), key), $"{file} holds the key in clear"));

        await using (var second = DaemonProcess.Start(args))
        {
            string restored = await second.WaitForLineAsync(line => line.Contains("Restored", StringComparison.Ordinal) && line.Contains("phase", StringComparison.Ordinal));
            Assert.Contains("phase Idle, status 200, 3 labels", restored, StringComparison.Ordinal);
            await second.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
            Assert.Equal(key, (await client.GetKeyAsync("netflix", TestContext.Current.CancellationToken)).Key.ToByteArray());
            await second.SignalAsync("TERM");
            Assert.Equal(0, await second.WaitForExitAsync());
        }

        Assert.Single(simulator.Requests, r => r.Path.EndsWith("/provision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnderTheUnitsEnvironment_TheGcHeapLimitIsInEffect_AndAfterTheIdleTrimBothApisAnswer()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        Dictionary<string, string> unitEnvironment = DeployFiles.ServiceEnvironment();
        long limit = GcHeapLimit.Requested(unitEnvironment[GcHeapLimit.Variable]) ?? throw new InvalidDataException("the unit sets no GC heap limit");
        await using var daemon = DaemonProcess.Start(
            [.. Arguments(simulator), "--Logging:LogLevel:Provisioning.Daemon.Memory.IdleMemoryTrim=Debug"], unitEnvironment);

        string heapLimit = await daemon.WaitForLineAsync(line => line.Contains(GcHeapLimit.Variable, StringComparison.Ordinal));
        Assert.Contains($"GC heap limit {limit / (1024 * 1024)} MiB ({GcHeapLimit.Variable})", heapLimit, StringComparison.Ordinal);
        await daemon.WaitUntilProvisionedAndListeningAsync();
        string trimmed = await daemon.WaitForLineAsync(line => line.Contains("Memory trimmed", StringComparison.Ordinal));
        long released = long.Parse(ReleasedKiB().Match(trimmed).Groups[1].Value, CultureInfo.InvariantCulture);
        // Natively the executable's pages are released. Under qemu-user the counts are the emulator's view of the
        // host's mappings (and madvise reaches the host only where qemu maps the file directly): not asserted there.
        Assert.True(DaemonUnderTest.IsLaunched || released > 0, trimmed);

        // The released code runs again: both APIs answer.
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
        Assert.Equal(32, (await client.GetKeyAsync("netflix", TestContext.Current.CancellationToken)).Key.Length);
        using JsonDocument jsonRpc = await PostJsonRpcAsync(daemon, """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}""");
        Assert.Equal(200, jsonRpc.RootElement.GetProperty("result").GetProperty("status").GetInt32());
        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    private string SocketPath => _temp.Combine("p.sock");

    private string[] Arguments(SimulatorServer simulator) =>
    [
        $"--BackOffice:Url={simulator.BaseAddress}",
        "--BackOffice:Retry:BaseDelay=00:00:00.100",
        $"--Device:Id={_deviceId}",
        $"--State:Directory={_temp.Combine("state")}",
        $"--Grpc:SocketPath={SocketPath}",
        "--JsonRpc:Url=http://127.0.0.1:0",
        "--Boot:MaxDelay=00:00:00",
    ];

    /// <summary>Posts to the JSON-RPC bridge at the port the host says it listens on (the daemon was given port 0).</summary>
    private static async Task<JsonDocument> PostJsonRpcAsync(DaemonProcess daemon, string body)
    {
        using var http = new HttpClient { BaseAddress = await BridgeAddressAsync(daemon) };
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync("jsonrpc", content, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The JSON-RPC bridge's address, from the line where the host says it listens (it was given port 0).</summary>
    private static async Task<Uri> BridgeAddressAsync(DaemonProcess daemon)
    {
        string listening = await daemon.WaitForLineAsync(line => JsonRpcListening().IsMatch(line));
        return new Uri($"http://{JsonRpcListening().Match(listening).Groups[1].Value}/");
    }

    [GeneratedRegex(@"Now listening on: http://(127\.0\.0\.1:\d+)")]
    private static partial Regex JsonRpcListening();

    [GeneratedRegex(@"; (\d+) KiB of mapped code pages released")]
    private static partial Regex ReleasedKiB();
}
