using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>
/// A throw-away root for `systemd-analyze --root=`: the distribution's units (for the targets ours order
/// against), an executable at ExecStart's path, and our units with any drop-ins. Nothing on the host changes.
/// </summary>
internal sealed class UnitRoot : IDisposable
{
    private readonly TempDirectory _folder = new();

    public UnitRoot(params string[] dropIns)
    {
        string units = Combine("etc/systemd/system");
        System.IO.Directory.CreateDirectory(units);
        System.IO.Directory.CreateDirectory(Combine("usr/lib/provisioningd"));
        File.Copy("/bin/true", Combine("usr/lib/provisioningd/provisioningd"));
        System.IO.Directory.CreateDirectory(Combine("usr/lib/systemd"));
        CopyDirectory("/usr/lib/systemd/system", Combine("usr/lib/systemd"));
        File.Copy(DeployFiles.Systemd("provisioningd.service"), Path.Combine(units, "provisioningd.service"));
        File.Copy(DeployFiles.Systemd("provisioningd.socket"), Path.Combine(units, "provisioningd.socket"));
        foreach (string dropIn in dropIns)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(units, "provisioningd.service.d"));
            File.Copy(DeployFiles.Systemd(dropIn), Path.Combine(units, "provisioningd.service.d", dropIn));
        }
    }

    public string Combine(string relative) => Path.Combine(_folder.Path, relative);

    public Task<(int ExitCode, string Output)> AnalyzeAsync(params string[] args) =>
        Shell.RunAsync("systemd-analyze", [.. args, "--root=" + _folder.Path]);

    public void Dispose() => _folder.Dispose();

    private static void CopyDirectory(string source, string destination)
    {
        // `cp -a` keeps the distribution's symlinks (aliases) as symlinks; they resolve inside the root.
        using var copy = System.Diagnostics.Process.Start("cp", ["-a", source, destination]);
        copy.WaitForExit();
        if (copy.ExitCode != 0)
        {
            throw new InvalidOperationException($"cp -a {source} failed ({copy.ExitCode})");
        }
    }
}
