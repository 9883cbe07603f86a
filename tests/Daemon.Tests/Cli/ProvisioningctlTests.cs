using System.Text.Json;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Tests.Grpc;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Cli;

/// <summary>Each provisioningctl command's output and exit code against a live daemon.</summary>
public sealed class ProvisioningctlTests
{
    [Fact]
    public async Task Status_Text_ShowsIdLabelsPhaseAndIndexes()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        await daemon.Engine.SetIndexAsync("netflix", 2);

        var (exitCode, output, _) = await CliRunner.RunAsync("status", "--socket", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        Assert.Contains($"id:           {daemon.DeviceId}\n", output, StringComparison.Ordinal);
        Assert.Contains("tokens:       cobalt, netflix, playready\n", output, StringComparison.Ordinal);
        Assert.Contains("phase:        idle\n", output, StringComparison.Ordinal);
        Assert.Contains("status:       200\n", output, StringComparison.Ordinal);
        Assert.Contains("indexes:      netflix=2\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_IsOneMachineReadableObject()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();

        var (exitCode, output, _) = await CliRunner.RunAsync("--json", "status", "--socket", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(daemon.DeviceId, json.RootElement.GetProperty("id").GetString());
        Assert.Equal(200, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("idle", json.RootElement.GetProperty("phase").GetString());
        Assert.Equal(["cobalt", "netflix", "playready"], json.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.True(json.RootElement.GetProperty("expires").GetDateTimeOffset() > json.RootElement.GetProperty("issued").GetDateTimeOffset());
    }

    [Fact]
    public async Task Id_Always_PrintsTheProvisionId()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);

        var text = await CliRunner.RunAsync("id", "--socket", daemon.SocketPath);
        var json = await CliRunner.RunAsync("id", "--json", "--socket", daemon.SocketPath);

        Assert.Equal((0, daemon.DeviceId + Environment.NewLine), (text.ExitCode, text.Output));
        Assert.Equal($"{{\"id\":\"{daemon.DeviceId}\"}}" + Environment.NewLine, json.Output);
    }

    [Fact]
    public async Task Provision_NoBackOffice_ExitsWithUnavailable()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(withSimulator: false);

        var (exitCode, _, error) = await CliRunner.RunAsync("provision", "--socket", daemon.SocketPath);

        Assert.Equal(4, exitCode);
        Assert.Contains("ERROR_UNAVAILABLE", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provision_DuringARun_ExitsWithInProgress()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            provisionAtBoot: false,
            simulator: o => o.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromSeconds(30))));

        var first = await CliRunner.RunAsync("provision", "--socket", daemon.SocketPath);
        var second = await CliRunner.RunAsync("provision", "--socket", daemon.SocketPath);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("provisioning started", first.Output, StringComparison.Ordinal);
        Assert.Equal(3, second.ExitCode);
        Assert.Contains("ERROR_INPROGRESS", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvisionWait_RunSucceeds_PrintsTheOutcome()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(provisionAtBoot: false);

        var (exitCode, output, _) = await CliRunner.RunAsync("provision", "--wait", "--socket", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("provisioning done\n", output, StringComparison.Ordinal);
        Assert.Contains("tokens:       cobalt, netflix, playready\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvisionWait_RunFails_ExitsWithRunFailed()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            provisionAtBoot: false,
            simulator: o => o.Faults.Add(FaultSpec.Answer(403)));

        var (exitCode, output, _) = await CliRunner.RunAsync("provision", "--wait", "--json", "--socket", daemon.SocketPath);

        Assert.Equal(7, exitCode);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("completed").GetBoolean());
        Assert.Equal(403, json.RootElement.GetProperty("state").GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Index_ValidAndOutOfRange_ChangesTheSlotOrExitsWithTheReason()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();

        var valid = await CliRunner.RunAsync("index", "cobalt", "3", "--socket", daemon.SocketPath);
        var outOfRange = await CliRunner.RunAsync("index", "cobalt", "4", "--socket", daemon.SocketPath);
        var notANumber = await CliRunner.RunAsync("index", "cobalt", "x", "--socket", daemon.SocketPath);

        Assert.Equal((0, "cobalt: slot 3\n"), (valid.ExitCode, valid.Output));
        Assert.Equal(3, daemon.Engine.Current.Indexes["cobalt"]);
        Assert.Equal(1, outOfRange.ExitCode);
        Assert.Contains("ERROR_INVALID_RANGE, field index", outOfRange.Error, StringComparison.Ordinal);
        Assert.Equal(1, notANumber.ExitCode);
        Assert.Equal(3, daemon.Engine.Current.Indexes["cobalt"]);
    }

    [Fact]
    public async Task Watch_Count_PrintsTheCurrentStateThenChanges()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();

        Task<(int ExitCode, string Output, string Error)> watch = CliRunner.RunAsync("watch", "-n", "2", "--json", "--socket", daemon.SocketPath);
        for (int slot = 1; !watch.IsCompleted; slot = 3 - slot)
        {
            // The watch subscribes at a moment the test cannot see: keep changing until it has its two states.
            await daemon.Engine.SetIndexAsync("netflix", slot);
            await Task.WhenAny(watch, Task.Delay(TimeSpan.FromMilliseconds(100)));
        }

        var (exitCode, output, _) = await watch;
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exitCode);
        Assert.Equal(2, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Equal("current", first.RootElement.GetProperty("change").GetString());
        Assert.Equal("index-changed", second.RootElement.GetProperty("change").GetString());
        Assert.Equal(first.RootElement.GetProperty("sequence").GetInt64() + 1, second.RootElement.GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Key_Out_WritesTheKeyOwnerOnlyAndReplacesALooseFile()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        string file = Path.Combine(daemon.Directory, "netflix.key");
        await File.WriteAllTextAsync(file, "old");
        File.SetUnixFileMode(file, (UnixFileMode)0x1B6);

        var (exitCode, output, error) = await CliRunner.RunAsync("key", "netflix", "--out", file, "--socket", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("32-byte key of netflix slot 0", error, StringComparison.Ordinal);
        Assert.Equal(daemon.IssuedKey("netflix", 0), await File.ReadAllBytesAsync(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Single(Directory.GetFiles(daemon.Directory, "*netflix.key*"));
    }

    [Fact]
    public async Task Key_ToATerminal_IsRefusedAndNothingIsRead()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();

        var (exitCode, _, error) = await CliRunner.RunAsync("key", "netflix", "--out", "/dev/tty", "--socket", daemon.SocketPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("terminal", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_ToDevStdoutOrThroughALink_IsRefusedAndTheLinkIsLeftAlone()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();
        using var temp = new TempDirectory();
        string target = temp.Combine("target");
        await File.WriteAllTextAsync(target, "operator's file");
        string link = temp.Combine("link");
        File.CreateSymbolicLink(link, target);

        var (stdoutExit, _, stdoutError) = await CliRunner.RunAsync("key", "netflix", "--out", "/dev/stdout", "--socket", daemon.SocketPath);
        var (linkExit, _, linkError) = await CliRunner.RunAsync("key", "netflix", "--out", link, "--socket", daemon.SocketPath);

        Assert.Equal(1, stdoutExit);
        Assert.Contains("not a regular file", stdoutError, StringComparison.Ordinal);
        Assert.NotNull(new FileInfo("/dev/stdout").LinkTarget);
        Assert.Equal(1, linkExit);
        Assert.Contains("through the link", linkError, StringComparison.Ordinal);
        Assert.Equal("operator's file", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task Key_IntoAMissingFolder_IsAOneLineErrorNotACrash()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();

        var (exitCode, _, error) = await CliRunner.RunAsync("key", "netflix", "--out", "/nonexistent-folder/key", "--socket", daemon.SocketPath);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("provisioningctl: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_Json_PrintsTheChosenSlot()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync();

        var (exitCode, output, _) = await CliRunner.RunAsync("index", "playready", "1", "--json", "--socket", daemon.SocketPath);

        Assert.Equal(0, exitCode);
        Assert.Equal("""{"label":"playready","index":1}""", output.Trim());
    }

    [Fact]
    public async Task Watch_NoDaemon_ExitsWithUnreachableInsteadOfWaiting()
    {
        using var temp = new TempDirectory();

        var (exitCode, _, error) = await CliRunner.RunAsync("watch", "--socket", temp.Combine("none.sock"));

        Assert.Equal(6, exitCode);
        Assert.Contains("does not answer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_NoDaemon_ExitsWithUnreachable()
    {
        using var temp = new TempDirectory();

        var (exitCode, _, error) = await CliRunner.RunAsync("status", "--socket", temp.Combine("none.sock"));

        Assert.Equal(6, exitCode);
        Assert.Contains("does not answer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Root_ListsTheCommandsAndExitCodes()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (string command in (string[])["status", "id", "provision", "index", "watch", "key", "--socket", "--json", "6  the daemon is unreachable"])
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }
}
