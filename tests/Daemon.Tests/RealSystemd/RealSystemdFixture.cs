using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Provisioning.Client;
using Provisioning.Daemon.Tests.Deploy;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>
/// A device, as far as this machine can make one: systemd booted in namespaces (<see cref="SystemdContainer"/>),
/// provisioningd installed into it by deploy/install.sh from the daemon under test (<see cref="DaemonUnderTest"/>;
/// in CI the Native AOT build that ships; unset, a quick framework-dependent publish of this build, which install.sh
/// recognises and installs with its jit.conf drop-in), and the back-office simulator as a unit on the
/// container's own loopback (its network namespace has nothing else, so its fixed port collides with nobody).
/// Booted once for the collection; each test starts with <see cref="ResetAsync"/>.
/// </summary>
public sealed class RealSystemdFixture : IAsyncLifetime
{
    public const string Unit = "provisioningd.service";
    public const string SocketUnit = "provisioningd.socket";
    public const string BackOfficeUrl = "http://127.0.0.1:8080/";
    public const string ApiSocket = "/run/provisioning/provisioning.sock";
    public const string ConfigFile = "/etc/provisioning/provisioningd.json";
    public const string DropInDirectory = "/etc/systemd/system/provisioningd.service.d";

    private readonly TempDirectory _work = new();
    private SystemdContainer? _container;

    public SystemdContainer Container => _container ?? throw new InvalidOperationException(MachineSupport.CannotBootSystemd ?? "not booted");

    /// <summary>The repository (deploy/, README.md), bound into the container at the same path.</summary>
    public static string Repository => Path.GetDirectoryName(DeployFiles.Directory)!;

    /// <summary>True when the installed daemon is the Native AOT build (install.sh's default; no provisioningd.dll in the folder).</summary>
    public bool IsAot { get; private set; }

    /// <summary>What install.sh printed.</summary>
    public string InstallOutput { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (MachineSupport.CannotBootSystemd is not null)
        {
            return;
        }

        Stopwatch clock = Stopwatch.StartNew();
        string published = DaemonUnderTest.IsDefaultBuild ? await PublishThisBuildAsync() : DaemonUnderTest.PublishFolder;
        IsAot = !File.Exists(Path.Combine(published, "provisioningd.dll"));
        _container = await SystemdContainer.BootAsync([Repository, AppContext.BaseDirectory.TrimEnd('/'), published]);

        InstallOutput = await Container.RunCheckedAsync(Path.Combine(DeployFiles.Directory, "install.sh"), "--from", published, "/");
        await Container.RunCheckedAsync(
            "systemd-run", "--unit=backoffice", "--property=Type=exec", "--property=WorkingDirectory=/tmp",
            Path.Combine(AppContext.BaseDirectory, "Provisioning.BackOfficeSimulator"), "--urls", BackOfficeUrl.TrimEnd('/'));
        await WaitUntilAsync(async () => (await Container.RunAsync("curl", "-sf", BackOfficeUrl + "admin/faults")).ExitCode == 0, "the back-office simulator answers");
        Console.WriteLine($"real systemd: booted in {Container.BootTime.TotalSeconds:0.0} s, daemon installed ({(IsAot ? "Native AOT" : "JIT")}) and simulator up after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        _work.Dispose();
    }

    /// <summary>
    /// The installed state of a fresh device: units stopped and reset, no drop-ins or credentials of ours,
    /// an empty state directory, the given configuration, the simulator without faults; then both units
    /// started (the service only when <paramref name="start"/>).
    /// </summary>
    public async Task ResetAsync(string? configuration = null, bool start = true)
    {
        await Container.RunAsync("systemctl", "stop", Unit, SocketUnit);
        await Container.RunAsync("systemctl", "reset-failed", Unit, SocketUnit);
        await Container.ShCheckedAsync(
            $"rm -rf {DropInDirectory} /etc/credstore/provisioningd.* /etc/credstore.encrypted/provisioningd.* /var/lib/provisioning/* /run/provisioning/wedge");
        await WriteConfigurationAsync(configuration ?? DefaultConfiguration());
        await Container.RunCheckedAsync("systemctl", "daemon-reload");
        await Container.RunCheckedAsync("curl", "-sf", "-X", "DELETE", BackOfficeUrl + "admin/faults");
        await Container.RunCheckedAsync("curl", "-sf", "-X", "DELETE", BackOfficeUrl + "admin/requests");
        await Container.RunCheckedAsync("systemctl", "start", SocketUnit);
        if (start)
        {
            await StartAsync();
        }
    }

    public static string DefaultConfiguration(string extraMembers = "") =>
        $$"""{"BackOffice":{"Url":"{{BackOfficeUrl}}"},"Boot":{"MaxDelay":"00:00:00"}{{extraMembers}}}""";

    public Task WriteConfigurationAsync(string json) =>
        Container.ShCheckedAsync($"printf '%s\\n' '{json}' > {ConfigFile} && chown root:provisioning {ConfigFile} && chmod 0640 {ConfigFile}");

    /// <summary>`systemctl start`: returns once systemd has READY=1 (Type=notify), or fails the test.</summary>
    public async Task StartAsync()
    {
        (int exitCode, string output) = await Container.RunAsync("timeout", "60", "systemctl", "start", Unit);
        Assert.True(exitCode == 0, $"systemctl start {Unit} ({exitCode}): {output}\n{await StatusAsync()}");
    }

    public async Task<string> StatusAsync() => (await Container.RunAsync("systemctl", "status", "--no-pager", "-n", "30", Unit)).Output;

    /// <summary>One property of the service (`systemctl show -p NAME --value`).</summary>
    public async Task<string> ShowAsync(string property, string unit = Unit) =>
        (await Container.RunCheckedAsync("systemctl", "show", "-p", property, "--value", unit)).Trim();

    public async Task<int> MainPidAsync() => int.Parse(await ShowAsync("MainPID"), CultureInfo.InvariantCulture);

    /// <summary>The journal entries of the service's current (or given) invocation, oldest first.</summary>
    public async Task<List<JournalEntry>> JournalAsync(string? invocationId = null)
    {
        invocationId ??= await ShowAsync("InvocationID");
        string output = await Container.RunCheckedAsync("journalctl", "--no-pager", "-o", "json", "_SYSTEMD_INVOCATION_ID=" + invocationId);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JournalEntry.Parse)];
    }

    /// <summary>The gRPC client on provisioningd.socket's socket, reached from the host through the container's root.</summary>
    public ProvisioningClient Client() => new(new ProvisioningClientOptions { SocketPath = Container.HostPath(ApiSocket) });

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        Stopwatch clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"not reached within {clock.Elapsed.TotalSeconds:0} s: {what}\n{(_container is null ? string.Empty : await StatusAsync())}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>`dotnet publish --no-build` of the daemon this test assembly was built with: framework-dependent, seconds.</summary>
    private async Task<string> PublishThisBuildAsync()
    {
        string output = _work.Combine("publish");
        string configuration = typeof(RealSystemdFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        (int exitCode, string log) = await Shell.RunAsync(
            "dotnet", "publish", Path.Combine(Repository, "src", "Daemon", "Daemon.csproj"), "-c", configuration, "--no-build", "-v", "q", "-nologo", "-o", output);
        return exitCode == 0 ? output : throw new InvalidOperationException("dotnet publish failed: " + log);
    }
}
