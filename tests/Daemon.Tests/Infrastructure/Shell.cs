using System.Diagnostics;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>Runs a system command for a test's set-up (chattr, mount, setpriv) and fails the test when it fails.</summary>
public static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout + await stderr);
    }

    public static async Task RunCheckedAsync(string file, params string[] args)
    {
        (int exitCode, string output) = await RunAsync(file, args);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', args)} failed ({exitCode}): {output}");
    }
}
