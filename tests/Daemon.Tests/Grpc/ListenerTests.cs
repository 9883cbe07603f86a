using Provisioning.Daemon.State;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Provisioning.Client;
using Provisioning.Daemon.Common.Connections;
using Provisioning.Daemon.Grpc;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Grpc;

public sealed class ListenerTests
{
    [Fact]
    public async Task Start_SecondDaemonOnTheSameSocket_FailsWithAClearMessageAndLeavesTheFirstServing()
    {
        await using GrpcTestDaemon first = await GrpcTestDaemon.StartAsync(withSimulator: false);
        await using WebApplication second = first.BuildSecondHost(Path.Combine(first.Directory, "state2"));

        SocketInUseException e = await Assert.ThrowsAsync<SocketInUseException>(() => second.StartAsync());

        Assert.Contains(first.SocketPath, e.Message, StringComparison.Ordinal);
        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
        using ProvisioningClient client = first.CreateClient();
        Assert.Equal(first.DeviceId, await client.GetIdAsync());
    }

    [Fact]
    public async Task Start_SecondDaemonOnTheSameStateDirectory_FailsBeforeTouchingItAndLeavesTheFirstServing()
    {
        await using GrpcTestDaemon first = await GrpcTestDaemon.StartAsync();
        Dictionary<string, string> before = Directory.GetFiles(first.StateDirectory).ToDictionary(f => f, f => Convert.ToHexString(File.ReadAllBytes(f)));
        await using WebApplication second = first.BuildSecondHost(first.StateDirectory);

        // Its engine restores before its listeners start: the state directory is what stops it, not the socket.
        StateDirectoryInUseException e = await Assert.ThrowsAsync<StateDirectoryInUseException>(() => second.StartAsync());

        Assert.Contains(first.StateDirectory, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(first.StateDirectory).ToDictionary(f => f, f => Convert.ToHexString(File.ReadAllBytes(f))));
        using ProvisioningClient client = first.CreateClient();
        Assert.Equal(first.DeviceId, (await client.GetStateAsync()).Id);
    }

    [Fact]
    public async Task Start_RegularFileAtTheSocketPath_FailsAndLeavesTheFileAlone()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("p.sock");
        await File.WriteAllTextAsync(path, "operator's file");

        await using var daemon = DaemonProcess.Start([
            $"--Grpc:SocketPath={path}", "--Device:Id=WPE00000uCfrLF45", $"--State:Directory={temp.Combine("state")}", "--JsonRpc:Url="]);

        Assert.NotEqual(0, await daemon.WaitForExitAsync());
        Assert.Contains(daemon.Lines, line => line.Contains("is not a socket", StringComparison.Ordinal));
        Assert.Equal("operator's file", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Start_StaleSocketFileFromACrash_IsRemovedAndServed()
    {
        using var temp = new TempDirectory();
        string socketPath = temp.Combine("run", "p.sock");
        Directory.CreateDirectory(temp.Combine("run"));
        await using (DaemonProcess crashed = DaemonProcess.Start([.. Settings(temp, socketPath).Select(s => $"--{s.Key}={s.Value}")]))
        {
            await WaitForFileAsync(socketPath);
            await crashed.SignalAsync("KILL");
            await crashed.WaitForExitAsync();
        }

        Assert.True(File.Exists(socketPath));
        await using WebApplication app = DaemonHost.Build(DaemonHost.CreateBuilder([], Settings(temp, socketPath)));
        await app.StartAsync();

        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = socketPath });
        Assert.Equal("WPE00000GrpcTest", await client.GetIdAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task Calls_OnAnotherHttp2Listener_AreRefused()
    {
        int port = LoopbackPort.Free();
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false, settings: new Dictionary<string, string?>
        {
            // Another listener that speaks HTTP/2 (as a misconfiguration might add): the API must not answer there.
            ["Kestrel:Endpoints:Tcp:Url"] = $"http://127.0.0.1:{port}",
            ["Kestrel:Endpoints:Tcp:Protocols"] = "Http2",
        });
        using var tcp = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        await RpcAssert.FailsAsync(
            async () => await new Contracts.V1.Provisioning.ProvisioningClient(tcp).GetIdAsync(new Contracts.V1.GetIdRequest()),
            StatusCode.PermissionDenied,
            "ERROR_PERMISSION_DENIED");
        using ProvisioningClient client = daemon.CreateClient();
        Assert.Equal(daemon.DeviceId, await client.GetIdAsync());
    }

    [Fact]
    public async Task Start_InvalidGrpcSettings_FailsNamingEverySetting()
    {
        using var temp = new TempDirectory();
        Dictionary<string, string?> settings = Settings(temp, "relative/p.sock");
        settings["Grpc:WatchCapacity"] = "1";

        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using WebApplication app = DaemonHost.Build(DaemonHost.CreateBuilder([], settings));
            await app.StartAsync();
        });

        string failures = string.Join(" | ", e.Failures);
        Assert.True(e.Failures.Count() == 2, failures);
        Assert.Contains("Grpc:SocketPath: must be an absolute path", failures, StringComparison.Ordinal);
        Assert.Contains("Grpc:WatchCapacity:", failures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SocketDirectoryMissing_IsCreated()
    {
        using var temp = new TempDirectory();
        string socketPath = temp.Combine("a", "b", "p.sock");
        await using WebApplication app = DaemonHost.Build(DaemonHost.CreateBuilder([], Settings(temp, socketPath)));
        await app.StartAsync();

        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = socketPath });
        Assert.Equal("WPE00000GrpcTest", await client.GetIdAsync());
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_SocketActivatedBySystemd_ServesOnThePassedSocket()
    {
        using var temp = new TempDirectory();
        string activated = temp.Combine("activated.sock");
        string configured = temp.Combine("configured.sock");
        var start = new ProcessStartInfo("systemd-socket-activate") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-l", activated, .. DaemonUnderTest.CommandLine(["--Device:Id=WPE00000GrpcTest",
            $"--State:Directory={temp.Combine("state")}", $"--Grpc:SocketPath={configured}", "--Grpc:SocketGroup=",
            "--JsonRpc:Url=", "--Boot:MaxDelay=1.00:00:00"])])
        {
            start.ArgumentList.Add(arg);
        }

        using Process activator = Process.Start(start)!;
        try
        {
            // systemd-socket-activate listens at once and starts the daemon on the first connection.
            await WaitForFileAsync(activated);
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = activated });

            string id = await client.GetIdAsync().WaitAsync(DaemonUnderTest.Patience);

            Assert.Equal("WPE00000GrpcTest", id);
            Assert.False(File.Exists(configured), "the daemon bound Grpc:SocketPath although systemd passed a socket");
        }
        finally
        {
            activator.Kill(entireProcessTree: true);
            await activator.WaitForExitAsync();
        }
    }

    private static Dictionary<string, string?> Settings(TempDirectory temp, string socketPath) => new()
    {
        ["Device:Id"] = "WPE00000GrpcTest",
        ["State:Directory"] = temp.Combine("state"),
        ["Grpc:SocketPath"] = socketPath,
        ["Grpc:SocketGroup"] = string.Empty,
        ["JsonRpc:Url"] = string.Empty,
        ["Boot:MaxDelay"] = "1.00:00:00",
        ["Logging:LogLevel:Default"] = "Warning",
    };


    private static async Task WaitForFileAsync(string path)
    {
        using var timeout = new CancellationTokenSource(DaemonUnderTest.Patience);
        while (!File.Exists(path))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}
