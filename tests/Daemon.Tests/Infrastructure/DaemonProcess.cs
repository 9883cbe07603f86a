using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>The provisioningd under test (<see cref="DaemonUnderTest"/>) as a child process, its output collected line by line.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _lineArrived = new(0);

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public IReadOnlyCollection<string> Lines => [.. _lines];

    /// <summary>Starts the daemon; inside <paramref name="wrapper"/> (e.g. strace) when given, and <see cref="Id"/> is then the wrapper's.</summary>
    public static DaemonProcess Start(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        IEnumerable<string>? wrapper = null)
    {
        ProcessStartInfo start = DaemonUnderTest.StartInfo(args, wrapper);
        return Start(start, environment, workingDirectory);
    }

    /// <summary>
    /// Starts another host of the daemon built next to the tests (<see cref="DaemonUnderTest.DevHostExecutable"/>,
    /// <see cref="DaemonUnderTest.TestHostExecutable"/>) with <paramref name="args"/> in <paramref name="workingDirectory"/>.
    /// </summary>
    public static DaemonProcess StartHost(string executable, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(executable);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Start(start, environment, workingDirectory);
    }

    private static DaemonProcess Start(ProcessStartInfo start, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory;
        SystemdVariables.Clear(start);

        // Plain console logs, one line per entry, so tests can read them.
        start.Environment["PROVISIONING_Logging__Console__FormatterName"] = "systemd";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Waits for an output line that satisfies the predicate (lines already seen count).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DaemonUnderTest.Patience);
        while (true)
        {
            string? match = _lines.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            try
            {
                await _lineArrived.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("No such line; the daemon printed:\n" + string.Join('\n', _lines));
            }
        }
    }

    /// <summary>Waits until a provisioning run has ended with status 200; returns that line.</summary>
    public Task<string> WaitUntilProvisionedAsync() =>
        WaitForLineAsync(line => line.Contains("RunEnded", StringComparison.Ordinal) && line.Contains("status 200", StringComparison.Ordinal));

    /// <summary>
    /// Waits until a provisioning run has ended with status 200 and the host has started with its listeners bound.
    /// A run with no boot delay can end before the listeners are, so the run's end alone does not mean that a
    /// socket answers yet.
    /// </summary>
    public async Task WaitUntilProvisionedAndListeningAsync()
    {
        await WaitUntilProvisionedAsync();
        await WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
    }

    public Task SignalAsync(string signal) => Shell.RunCheckedAsync("kill", "-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? DaemonUnderTest.Patience);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _lineArrived.Release();
    }
}
