using System.Diagnostics;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>Runs the built provisioningctl as uid/gid 65534 (nobody/nogroup) through setpriv: a caller that is not root.</summary>
internal static class OtherUserCli
{
    public const uint Uid = 65534;

    /// <summary>
    /// The Cli project's own build output: the test folder carries the ASP.NET Core framework's assemblies,
    /// which provisioningctl (a plain console app) does not load.
    /// </summary>
    public static string ExecutablePath
    {
        get
        {
            string testFolder = AppContext.BaseDirectory.TrimEnd('/');
            string framework = Path.GetFileName(testFolder);
            string configuration = Path.GetFileName(Path.GetDirectoryName(testFolder)!);
            return Repository.Combine("src", "Cli", "bin", configuration, framework, "provisioningctl");
        }
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string homeDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--",
            ExecutablePath, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = homeDirectory;
        start.Environment["DOTNET_CLI_HOME"] = homeDirectory;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output, await error);
    }
}
