using System.Diagnostics;
using System.Globalization;
using System.Text;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>
/// This machine's systemd booted as PID 1 of new namespaces (container-init.sh builds its root on an overlay
/// of / whose upper layer exists only in its mount namespace), in a cgroup of its own. Commands run inside
/// through `nsenter -t PID -a`; files inside are reached through /proc/PID/root. Disposing powers it off
/// (SIGRTMIN+4), then kills what is left by the PID it started.
/// </summary>
public sealed class SystemdContainer : IAsyncDisposable
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _unshare;
    private readonly string _cgroup;
    private readonly string _scratch;
    private readonly StringBuilder _console = new();

    private SystemdContainer(Process unshare, string cgroup, string scratch)
    {
        _unshare = unshare;
        _cgroup = cgroup;
        _scratch = scratch;
    }

    /// <summary>systemd's pid, as the host sees it.</summary>
    public int Pid { get; private set; }

    /// <summary>How long from exec to `systemctl is-system-running` answering "running".</summary>
    public TimeSpan BootTime { get; private set; }

    /// <summary>What systemd printed on its console (for failure messages).</summary>
    public string Console
    {
        get
        {
            lock (_console)
            {
                return _console.ToString();
            }
        }
    }

    /// <summary>Boots; <paramref name="hostPaths"/> are bound read-only at the same paths inside.</summary>
    public static async Task<SystemdContainer> BootAsync(IEnumerable<string> hostPaths)
    {
        string name = "provisioningd-test-" + Guid.NewGuid().ToString("N")[..8];
        string cgroup = Path.Join(CgroupHierarchy.Unified()!, name);
        string scratch = Path.Join(Path.GetTempPath(), name);
        Directory.CreateDirectory(cgroup);
        Directory.CreateDirectory(scratch);

        // The shell moves itself into the new cgroup before unshare makes it the cgroup namespace's root.
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string word in (string[])[
            "-c", "echo $$ > \"$1/cgroup.procs\" && shift && exec unshare --fork --pid --mount --uts --ipc --net --cgroup --propagation private \"$@\"",
            "sh", cgroup, Path.Join(AppContext.BaseDirectory, "RealSystemd", "container-init.sh"), scratch, .. hostPaths])
        {
            start.ArgumentList.Add(word);
        }

        Stopwatch clock = Stopwatch.StartNew();
        var container = new SystemdContainer(Process.Start(start)!, cgroup, scratch);
        container._unshare.OutputDataReceived += (_, e) => container.Collect(e.Data);
        container._unshare.ErrorDataReceived += (_, e) => container.Collect(e.Data);
        container._unshare.BeginOutputReadLine();
        container._unshare.BeginErrorReadLine();
        try
        {
            container.Pid = await container.WaitForSystemdAsync();
            await container.WaitForFileAsync("/run/systemd/private");
            (int _, string state) = await container.RunAsync("systemctl", "is-system-running", "--wait");
            container.BootTime = clock.Elapsed;
            if (state.Trim() != "running")
            {
                (int _, string failed) = await container.RunAsync("systemctl", "--failed", "--no-pager");
                throw new InvalidOperationException($"the booted systemd is '{state.Trim()}':\n{failed}\n{container.Console}");
            }

            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside (all of systemd's namespaces, its root); never throws for a non-zero exit.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(params string[] command) =>
        Shell.RunAsync("nsenter", ["-t", Pid.ToString(CultureInfo.InvariantCulture), "-a", .. command]);

    /// <summary>Runs a shell command line inside with /bin/sh -c.</summary>
    public Task<(int ExitCode, string Output)> ShAsync(string commandLine) => RunAsync("/bin/sh", "-c", commandLine);

    /// <summary>Runs a command inside and fails the test when it fails; returns its output.</summary>
    public async Task<string> RunCheckedAsync(params string[] command)
    {
        (int exitCode, string output) = await RunAsync(command);
        Assert.True(exitCode == 0, $"{string.Join(' ', command)} failed inside ({exitCode}): {output}");
        return output;
    }

    public Task<string> ShCheckedAsync(string commandLine) => RunCheckedAsync("/bin/sh", "-c", commandLine);

    /// <summary>A path inside, as the host reaches it (e.g. a Unix socket to connect to).</summary>
    public string HostPath(string inside) => $"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/root{inside}";

    public async ValueTask DisposeAsync()
    {
        if (Pid > 0 && !_unshare.HasExited)
        {
            await Shell.RunAsync("kill", "-s", "RTMIN+4", Pid.ToString(CultureInfo.InvariantCulture));
            try
            {
                await _unshare.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                // Killing a pid namespace's init kills every process in it.
                await Shell.RunAsync("kill", "-s", "KILL", Pid.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (!_unshare.HasExited)
        {
            _unshare.Kill();
        }

        await _unshare.WaitForExitAsync();
        _unshare.Dispose();
        CgroupHierarchy.Remove(_cgroup);
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // The tmpfs on it went with the mount namespace; an empty folder in /tmp is all that can be left.
        }
    }

    /// <summary>The unshare process's child is the init script, which execs systemd once the root is ready.</summary>
    private async Task<int> WaitForSystemdAsync()
    {
        using var timeout = new CancellationTokenSource(BootTimeout);
        string children = $"/proc/{_unshare.Id}/task/{_unshare.Id}/children";
        while (true)
        {
            if (_unshare.HasExited)
            {
                throw new InvalidOperationException($"the container's init exited ({_unshare.ExitCode}):\n{Console}");
            }

            string[] pids = File.Exists(children) ? (await File.ReadAllTextAsync(children, timeout.Token)).Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            if (pids.Length == 1 && File.Exists($"/proc/{pids[0]}/comm") && (await File.ReadAllTextAsync($"/proc/{pids[0]}/comm", timeout.Token)).Trim() == "systemd")
            {
                return int.Parse(pids[0], CultureInfo.InvariantCulture);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    /// <summary>systemctl talks to systemd through this socket, created early in its start.</summary>
    private async Task WaitForFileAsync(string inside)
    {
        using var timeout = new CancellationTokenSource(BootTimeout);
        while (!File.Exists(HostPath(inside)))
        {
            if (_unshare.HasExited)
            {
                throw new InvalidOperationException($"systemd exited ({_unshare.ExitCode}):\n{Console}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lock (_console)
            {
                _console.AppendLine(line);
            }
        }
    }
}
