using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>
/// What systemd hands a Type=notify service, small enough for a test: NOTIFY_SOCKET names a datagram socket this
/// test owns and reads (the daemon judges from that, not from its parent). A launcher script prints the daemon's
/// pid and waits for it. Only for what the real systemd (RealSystemd/) cannot show: whether WATCHDOG=1 is sent,
/// and every notification in order.
/// </summary>
public sealed class FakeSystemd : IAsyncDisposable
{
    private const string LauncherScript = "#!/bin/sh\n\"$@\" &\necho \"fake-systemd: main pid $!\"\nwait $!\n";

    private readonly Socket _notify;
    private readonly Process _launcher;
    private readonly ConcurrentQueue<NotifyMessage> _messages = new();
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    private FakeSystemd(Socket notify, Process launcher)
    {
        _notify = notify;
        _launcher = launcher;
        _receiving = ReceiveAsync();
    }

    public IReadOnlyList<NotifyMessage> Messages => [.. _messages];

    public IReadOnlyCollection<string> Lines => [.. _lines];

    /// <summary>Starts the built provisioningd under the fake supervisor, through <paramref name="wrapper"/> if given (e.g. systemd-socket-activate).</summary>
    public static FakeSystemd Start(
        TempDirectory folder,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        IEnumerable<string>? wrapper = null)
    {
        string launcher = folder.Combine("supervisor");
        File.WriteAllText(launcher, LauncherScript);
        File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string socketPath = folder.Combine("notify.sock");
        var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));

        var start = new ProcessStartInfo(launcher)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string part in wrapper ?? [])
        {
            start.ArgumentList.Add(part);
        }

        foreach (string word in DaemonUnderTest.CommandLine(args))
        {
            start.ArgumentList.Add(word);
        }

        SystemdVariables.Clear(start);
        start.Environment["NOTIFY_SOCKET"] = socketPath;
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var systemd = new FakeSystemd(notify, process);
        process.OutputDataReceived += (_, e) => systemd.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => systemd.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return systemd;
    }

    /// <summary>The daemon's pid, as the launcher reported it.</summary>
    public async Task<int> MainPidAsync()
    {
        string line = await WaitForLineAsync(l => l.StartsWith("fake-systemd: main pid ", StringComparison.Ordinal));
        return int.Parse(line["fake-systemd: main pid ".Length..], CultureInfo.InvariantCulture);
    }

    public async Task<NotifyMessage> WaitForMessageAsync(Func<NotifyMessage, bool> predicate, TimeSpan? timeout = null) =>
        await WaitAsync(() => _messages.FirstOrDefault(predicate), timeout, "notification");

    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null) =>
        await WaitAsync(() => _lines.FirstOrDefault(predicate), timeout, "output line");

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _launcher.WaitForExitAsync().WaitAsync(timeout ?? DaemonUnderTest.Patience);
        _launcher.WaitForExit();
        return _launcher.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_launcher.HasExited)
        {
            _launcher.Kill(entireProcessTree: true);
            await _launcher.WaitForExitAsync();
        }

        await _stop.CancelAsync();
        _notify.Dispose();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _launcher.Dispose();
        _stop.Dispose();
        _arrived.Dispose();
    }

    private async Task<T> WaitAsync<T>(Func<T?> find, TimeSpan? timeout, string what)
        where T : class
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DaemonUnderTest.Patience);
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            try
            {
                await _arrived.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No such {what}. Notifications:\n{string.Join('\n', _messages.Select(m => m.Text))}\nOutput:\n{string.Join('\n', _lines)}");
            }
        }
    }

    private async Task ReceiveAsync()
    {
        byte[] buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _notify.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _messages.Enqueue(new NotifyMessage(Encoding.UTF8.GetString(buffer, 0, length)));
            _arrived.Release();
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _arrived.Release();
        }
    }
}
