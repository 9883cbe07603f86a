using System.Diagnostics;
using System.Globalization;
using Provisioning.Daemon.Tests.Deploy;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>
/// WatchdogSec= under the real systemd: a daemon that stops answering is killed and started again within the
/// watchdog timeout plus RestartSec= and a start. A drop-in shortens WatchdogSec= to keep the suite short.
/// </summary>
[Collection(RealSystemdDevice.Name)]
public sealed class WatchdogTests(RealSystemdFixture device)
{
    private const int WatchdogSeconds = 10;
    private const int RestartSeconds = 5;
    private const string WedgeFile = "/run/provisioning/wedge";

    // A start takes about a second here; the margin covers a loaded CI machine.
    private static readonly TimeSpan Allowed = TimeSpan.FromSeconds(WatchdogSeconds + RestartSeconds + 8);

    [RealSystemdFact]
    public async Task StoppedProcess_IsKilledAndStartedAgain()
    {
        await device.ResetAsync(start: false);
        await WriteDropInAsync("shorter-watchdog.conf", $"[Service]\nWatchdogSec={WatchdogSeconds}s\n");
        await device.StartAsync();
        string pid = await device.ShowAsync("MainPID");

        await device.Container.RunCheckedAsync("kill", "-STOP", pid);
        Stopwatch hung = Stopwatch.StartNew();
        TimeSpan back = await WaitForReplacementAsync(pid, hung);

        Assert.True(back <= Allowed, $"back after {back.TotalSeconds:0.0} s with WatchdogSec={WatchdogSeconds}s (allowed {Allowed.TotalSeconds} s)");
        Assert.Contains(await WatchdogMessagesAsync(), m => m.Contains("Watchdog timeout", StringComparison.Ordinal));
        Console.WriteLine($"real systemd: SIGSTOPped daemon active again after {back.TotalSeconds:0.0} s (WatchdogSec={WatchdogSeconds}s, RestartSec={RestartSeconds}s)");
    }

    [RealSystemdFact]
    public async Task WedgedEngine_IsKilledAndStartedAgain()
    {
        // The daemon's own host with an engine clock that stalls while the file exists (tests/WedgedDaemon),
        // run by the shipped unit. It is a JIT build: it gets what deploy/systemd/jit.conf gives the JIT build
        // (writable and executable memory, no AOT-sized memory limits).
        await device.ResetAsync(start: false);
        await WriteDropInAsync("wedgeable-engine.conf", string.Join('\n', (string[])[
            "[Service]",
            "ExecStart=",
            "ExecStart=" + Path.Combine(AppContext.BaseDirectory, "provisioningd-wedged"),
            // The test host runs from the tests' build folder, which the unit's PrivateTmp= hides when the
            // checkout is under /tmp (status 203/EXEC): shown to it, read-only.
            "BindReadOnlyPaths=" + Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory),
            "Environment=PROVISIONINGD_WEDGE_FILE=" + WedgeFile,
            .. File.ReadAllLines(DeployFiles.Systemd("jit.conf")).Where(line => line.Length > 0 && line[0] is not '#' and not '['),
            $"WatchdogSec={WatchdogSeconds}s",
            string.Empty]));
        await device.StartAsync();
        await device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "provisioned, 3 labels", "provisioned");
        string pid = await device.ShowAsync("MainPID");

        // The end of this run makes the loop plan the next one by the clock: there it stalls.
        await device.Container.RunCheckedAsync("touch", WedgeFile);
        using (var client = device.Client())
        {
            await client.ProvisionAsync(wait: false);
        }

        Stopwatch hung = Stopwatch.StartNew();
        await device.WaitUntilAsync(
            async () => (await device.JournalAsync()).Any(e => e.Message.Contains("[4001]", StringComparison.Ordinal)),
            "the watchdog notices the engine loop does not answer");
        TimeSpan back = await WaitForReplacementAsync(pid, hung, beforeStart: () => device.Container.RunCheckedAsync("rm", "-f", WedgeFile));

        Assert.True(back <= Allowed, $"back after {back.TotalSeconds:0.0} s with WatchdogSec={WatchdogSeconds}s (allowed {Allowed.TotalSeconds} s)");
        Assert.Contains(await WatchdogMessagesAsync(), m => m.Contains("Watchdog timeout", StringComparison.Ordinal));
        Console.WriteLine($"real systemd: wedged engine active again after {back.TotalSeconds:0.0} s (WatchdogSec={WatchdogSeconds}s, RestartSec={RestartSeconds}s)");
    }

    private Task WriteDropInAsync(string name, string content) =>
        device.Container.ShCheckedAsync(
            $"mkdir -p {RealSystemdFixture.DropInDirectory} && printf '%s' '{content}' > {RealSystemdFixture.DropInDirectory}/{name} && systemctl daemon-reload");

    /// <summary>Waits until another process is the active main process; <paramref name="beforeStart"/> runs once the old one is gone.</summary>
    private async Task<TimeSpan> WaitForReplacementAsync(string pid, Stopwatch since, Func<Task>? beforeStart = null)
    {
        await device.WaitUntilAsync(async () => await device.ShowAsync("MainPID") != pid, $"pid {pid} killed", TimeSpan.FromSeconds(90));
        if (beforeStart is not null)
        {
            await beforeStart();
        }

        await device.WaitUntilAsync(
            async () => await device.ShowAsync("ActiveState") == "active" && await device.ShowAsync("MainPID") is { } now && now != pid && now != "0",
            "a new main process is active", TimeSpan.FromSeconds(90));
        Assert.Equal("1", await device.ShowAsync("NRestarts"));
        return since.Elapsed;
    }

    private async Task<string[]> WatchdogMessagesAsync() =>
        (await device.Container.RunCheckedAsync("journalctl", "--no-pager", "-o", "cat", "_PID=1", "UNIT=" + RealSystemdFixture.Unit))
            .Split('\n');
}
