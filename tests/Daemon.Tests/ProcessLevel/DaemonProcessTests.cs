using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Provisioning.BackOfficeSimulator;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Tests.Grpc;
using ApiState = Provisioning.Contracts.V1.State;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Memory;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.ProcessLevel;

/// <summary>The built daemon as a child process: what an operator and systemd see.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _deviceId = ProvisionId.Derive(Guid.NewGuid().ToString());

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// SIGTERM while callers wait: a Provision that waits for its run, a health Watch and a WatchState. Each ends at
    /// once with UNAVAILABLE (the health watch after NOT_SERVING) and the daemon exits 0. Before, the listeners waited
    /// the host's whole shutdown timeout (20 s) for them, and the Provision caller's call was then cut off.
    /// </summary>
    [Fact]
    public async Task Stop_WithCallersWaiting_EndsEachWithUnavailableAndExitsZero()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Faults = [FaultSpec.DelayBy(TimeSpan.FromMinutes(10))],
        });
        await using var daemon = DaemonProcess.Start([.. Arguments(simulator), "--Boot:MaxDelay=1.00:00:00"]);
        await daemon.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
        using GrpcChannel channel = GrpcChannels.ForSocket(_temp.Combine("p.sock"));
        var api = new Provisioning.Contracts.V1.Provisioning.ProvisioningClient(channel);
        using AsyncServerStreamingCall<HealthCheckResponse> health =
            new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = "provisioning.v1.Provisioning" }, cancellationToken: ct);
        Assert.True(await health.ResponseStream.MoveNext(ct));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.ResponseStream.Current.Status);
        using AsyncServerStreamingCall<ApiState> watch = api.WatchState(new WatchStateRequest(), cancellationToken: ct);
        Assert.True(await watch.ResponseStream.MoveNext(ct));
        using AsyncUnaryCall<ProvisionResponse> provision = api.ProvisionAsync(new ProvisionRequest { Wait = true }, cancellationToken: ct);
        await simulator.WaitForRequestsAsync(requests => requests.Count >= 1, ct); // the run waits on the back office

        await daemon.SignalAsync("TERM");

        RpcException waited = await Assert.ThrowsAsync<RpcException>(() => provision.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, waited.StatusCode);
        Assert.True(await health.ResponseStream.MoveNext(ct));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.ResponseStream.Current.Status);
        RpcException healthEnded = await Assert.ThrowsAsync<RpcException>(() => health.ResponseStream.MoveNext(ct));
        Assert.Equal(StatusCode.Unavailable, healthEnded.StatusCode);
        RpcException watchEnded = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(ct))
            {
            }
        });
        Assert.Equal(StatusCode.Unavailable, watchEnded.StatusCode);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    [Fact]
    public async Task Start_SecondDaemonOnTheSameStateDirectory_ExitsNamingItAndTheFirstGoesOn()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var first = DaemonProcess.Start(Arguments(simulator));
        await first.WaitUntilProvisionedAndListeningAsync();

        await using var second = DaemonProcess.Start([
            .. Arguments(simulator), $"--Grpc:SocketPath={_temp.Combine("second.sock")}"]);

        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Contains(second.Lines, line => line.Contains($"State:Directory {_temp.Combine("state")} is in use by another process", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Lines, line => line.Contains("Removed leftover", StringComparison.Ordinal));
        using var client = new Provisioning.Client.ProvisioningClient(new Provisioning.Client.ProvisioningClientOptions { SocketPath = _temp.Combine("p.sock") });
        Assert.Equal(200, (await client.GetStateAsync(TestContext.Current.CancellationToken)).Status);
        await first.SignalAsync("TERM");
        Assert.Equal(0, await first.WaitForExitAsync());
    }

    [Fact]
    public async Task Start_InvalidConfiguration_ExitsNonZeroNamingEverySetting()
    {
        await using var daemon = DaemonProcess.Start([
            "--Boot:MaxDelay=99.00:00:00", "--Device:Id=no/slashes", $"--State:Directory={_temp.Combine("state")}",
            $"--Grpc:SocketPath={_temp.Combine("p.sock")}", "--JsonRpc:Url=http://127.0.0.1:0"]);

        int exitCode = await daemon.WaitForExitAsync();

        Assert.Equal(78, exitCode);
        Assert.Contains(daemon.Lines, line => line.Contains("invalid configuration", StringComparison.Ordinal));
        Assert.Contains(daemon.Lines, line => line.TrimStart().StartsWith("Boot:MaxDelay:", StringComparison.Ordinal));
        Assert.Contains(daemon.Lines, line => line.TrimStart().StartsWith("Device:Id:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ValuesOfTheWrongTypeAndBadSettingsInEverySection_AllNamedWithExit78()
    {
        // A value the binder cannot convert is a configuration error like any other, and an error in the
        // gRPC or JSON-RPC section does not hide those of the others.
        await using var daemon = DaemonProcess.Start([
            "--Boot:MaxDelay=abc", "--Engine:RefreshFraction=0,5", "--BackOffice:Retry:Jitter=Foo", "--Device:Id=no/slashes",
            "--Grpc:WatchCapacity=1", "--JsonRpc:MaxDepth=1", $"--State:Directory={_temp.Combine("state")}",
            $"--Grpc:SocketPath={_temp.Combine("p.sock")}", "--JsonRpc:Url=http://127.0.0.1:0"]);

        int exitCode = await daemon.WaitForExitAsync();

        Assert.Equal(78, exitCode);
        string[] named = [.. daemon.Lines.Select(line => line.TrimStart())];
        Assert.Contains("Boot:MaxDelay: 'abc' is not a duration ([d.]hh:mm:ss)", named);
        Assert.Contains("Engine:RefreshFraction: '0,5' is not a number (with a '.')", named);
        Assert.Contains(named, line => line.StartsWith("BackOffice:Retry:Jitter: 'Foo' is not one of the values", StringComparison.Ordinal));
        foreach (string key in (string[])["Device:Id:", "Grpc:WatchCapacity:", "JsonRpc:MaxDepth:"])
        {
            Assert.Contains(named, line => line.StartsWith(key, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(daemon.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PROVISIONING_Boot__MaxDelay")]
    [InlineData("PROVISIONING__Boot__MaxDelay")]
    public async Task Start_SettingFromEitherEnvironmentSpelling_IsReadAndChecked(string variable)
    {
        // docs/configuration.md: PROVISIONING_Section__Key, and the spelling PROVISIONING__Section__Key also works.
        await using var daemon = DaemonProcess.Start(
            [$"--State:Directory={_temp.Combine("state")}", $"--Grpc:SocketPath={_temp.Combine("p.sock")}", "--JsonRpc:Url=http://127.0.0.1:0"],
            new Dictionary<string, string> { [variable] = "99.00:00:00" });

        int exitCode = await daemon.WaitForExitAsync();

        Assert.Equal(78, exitCode);
        Assert.Contains(daemon.Lines, line => line.TrimStart().StartsWith("Boot:MaxDelay:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ConfigFileThatIsNotJson_ExitsNonZeroNamingTheFile()
    {
        string config = _temp.Combine("provisioningd.json");
        await File.WriteAllTextAsync(config, "{ \"BackOffice\": ");
        await using var daemon = DaemonProcess.Start(["--config", config]);

        int exitCode = await daemon.WaitForExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains(daemon.Lines, line => line.Contains("provisioningd.json", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--config", "ConfigFile: --config needs a path")]
    [InlineData("--config=", "ConfigFile: the path given is empty")]
    public async Task Start_ConfigSwitchWithoutAPath_Exit78InsteadOfTheDefaultFile(string config, string message)
    {
        await using var daemon = DaemonProcess.Start([$"--State:Directory={_temp.Combine("state")}", config]);

        Assert.Equal(78, await daemon.WaitForExitAsync());
        Assert.Contains(daemon.Lines, line => line.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("directory")]
    [InlineData("missing")]
    [InlineData("devzero")]
    public async Task Start_ConfigFileThatIsNotAReadableFile_ExitsWithAMessageInsteadOfHanging(string kind)
    {
        string config = kind == "devzero" ? "/dev/zero" : _temp.Combine("provisioningd.json");
        switch (kind)
        {
            case "fifo":
                await Shell.RunCheckedAsync("mkfifo", config);
                break;
            case "directory":
                Directory.CreateDirectory(config);
                break;
        }

        await using var daemon = DaemonProcess.Start(["--config", config, $"--Device:Id={_deviceId}", $"--State:Directory={_temp.Combine("state")}"]);

        Assert.Equal(78, await daemon.WaitForExitAsync());
        Assert.Contains(daemon.Lines, line => line.Contains("ConfigFile: " + config, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_IdentityFileIsDevZero_StartsUnavailableNamingTheSettingInsteadOfExhaustingMemory()
    {
        await using var daemon = DaemonProcess.Start([
            "--Device:IdFile=/dev/zero", $"--State:Directory={_temp.Combine("state")}",
            $"--Grpc:SocketPath={_temp.Combine("p.sock")}", "--JsonRpc:Url=http://127.0.0.1:0"]);

        string unavailable = await daemon.WaitForLineAsync(line => line.Contains("Provisioning is unavailable", StringComparison.Ordinal));

        Assert.Contains("Device:IdFile", unavailable, StringComparison.Ordinal);
        await daemon.SignalAsync("TERM");
        int exitCode = await daemon.WaitForExitAsync();
        Assert.True(exitCode == 0, $"exit {exitCode}:\n" + string.Join('\n', daemon.Lines));
    }

    [Fact]
    public async Task Sigterm_WhileStarting_ExitsZero()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var daemon = DaemonProcess.Start(Arguments(simulator));

        await daemon.WaitForLineAsync(line => line.Contains("Restored", StringComparison.Ordinal));
        await daemon.SignalAsync("TERM");

        int exitCode = await daemon.WaitForExitAsync();
        Assert.True(exitCode == 0, $"exit {exitCode}:\n" + string.Join('\n', daemon.Lines));
    }

    [Fact]
    public async Task Sigterm_AfterProvisioning_ExitsZeroAndRestartServesTheStoredProvisioningWithoutAskingAgain()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        string[] args = Arguments(simulator);

        await using (var first = DaemonProcess.Start(args))
        {
            await first.WaitUntilProvisionedAsync();
            await first.SignalAsync("TERM");
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        Assert.Single(simulator.Requests, r => r.Path.EndsWith("/provision", StringComparison.Ordinal));
        await using (var second = DaemonProcess.Start(args))
        {
            string restored = await second.WaitForLineAsync(line => line.Contains("Restored", StringComparison.Ordinal) && line.Contains("phase", StringComparison.Ordinal));
            Assert.Contains("phase Idle, status 200, 3 labels", restored, StringComparison.Ordinal);
            await second.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
            await second.SignalAsync("TERM");
            Assert.Equal(0, await second.WaitForExitAsync());
        }

        Assert.Single(simulator.Requests, r => r.Path.EndsWith("/provision", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigkill_DuringRepeatedWrites_LeavesTheOldOrTheNewStateNeverABrokenOne()
    {
        // Short-lived, large provisionings make the daemon rewrite several megabytes about once a second.
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Lifetime = TimeSpan.FromSeconds(1),
            KeysPerLabel = 16,
            KeySize = 48 * 1024,
        });
        string[] args = [.. Arguments(simulator), "--Engine:RefreshFraction=0.1", "--Engine:RerunDelay=00:00:01"];
        (int rounds, int seed) = KillHarness.FromEnvironment(defaultRounds: 6);
        TestContext.Current.TestOutputHelper?.WriteLine($"SIGKILL seed {seed}, {rounds} rounds");

        IReadOnlyList<KillRound> results = await new KillHarness(_temp.Combine("state"), _deviceId, args).RunAsync(rounds, seed);

        string summary = KillHarness.Summary(results, seed);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable(KillHarness.ReportVariable) is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, summary + "\n");
        }

        KillRound[] broken = [.. results.Where(r => r.Problem is not null)];
        Assert.True(broken.Length == 0, summary + ":\n" + string.Join('\n', broken.Take(10)));
        Assert.Equal(rounds, results.Count);
    }

    [Fact]
    public async Task DevHost_FreshFolder_ProvisionsFromItsOwnSimulatorAndSaysWhatToTryNext()
    {
        await using var daemon = DaemonProcess.StartHost(DaemonUnderTest.DevHostExecutable, ["--JsonRpc:Url=http://127.0.0.1:0"], _temp.Path);

        string provisioned = await daemon.WaitForLineAsync(line => line.StartsWith("provisioned WPE", StringComparison.Ordinal));
        await daemon.WaitForLineAsync(line => line.Contains("(delete it to start over)", StringComparison.Ordinal));

        Assert.Contains("status 200, labels cobalt, netflix, playready", provisioned, StringComparison.Ordinal);
        string socket = _temp.Combine(".dev", "provisioning.sock");
        Assert.Contains(daemon.Lines, line => line.Contains($"--socket {socket} status", StringComparison.Ordinal));
        Assert.Contains(daemon.Lines, line => line.Contains("Provisioning.1.state", StringComparison.Ordinal));
        Assert.True(File.Exists(socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_temp.Combine(".dev", "state")));
        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    [Fact]
    public async Task OutOfMemory_AtTheGcHeapLimit_AbortsWithANonZeroExitForTheServiceManagerToRestart()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = "2000000", // 32 MiB, hexadecimal digits as the unit writes them
            ["PROVISIONINGD_HOLD_MIB"] = "64",
        };
        await using var daemon = DaemonProcess.StartHost(DaemonUnderTest.TestHostExecutable, Arguments(simulator), _temp.Path, environment);

        int exitCode = await daemon.WaitForExitAsync();

        Assert.Equal(128 + 6, exitCode); // SIGABRT: Restart=on-failure starts it again
        Assert.Contains(daemon.Lines, line => line.Contains(OutOfMemoryExit.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(daemon.Lines, line => line.StartsWith("holding ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GcHeapLimit_WrittenWith0x_IsAppliedByTheJitRuntimeAndReportedAsNotInEffectByNativeAot()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var daemon = DaemonProcess.Start(Arguments(simulator), new Dictionary<string, string> { [GcHeapLimit.Variable] = "0x1000000" });

        string heapLimit = await daemon.WaitForLineAsync(line => line.Contains(GcHeapLimit.Variable, StringComparison.Ordinal));

        Assert.Contains(
            DaemonUnderTest.IsNativeAot ? $"{GcHeapLimit.Variable}=0x1000000 is not in effect" : $"GC heap limit 16 MiB ({GcHeapLimit.Variable})",
            heapLimit,
            StringComparison.Ordinal);
        await daemon.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    private string[] Arguments(SimulatorServer simulator) =>
    [
        $"--BackOffice:Url={simulator.BaseAddress}",
        $"--Device:Id={_deviceId}",
        $"--State:Directory={_temp.Combine("state")}",
        $"--Grpc:SocketPath={_temp.Combine("p.sock")}",
        "--JsonRpc:Url=http://127.0.0.1:0",
        "--Boot:MaxDelay=00:00:00",
    ];
}
