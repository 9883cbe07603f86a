using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>
/// The device build carries no stack-trace data (StackTraceSupport=false): a logged exception's frames are
/// addresses, and tools/symbolize.sh names them from the symbol file of the same publish (provisioningd.dbg),
/// which the start line's build ID matches (README, "Stack traces from a device").
/// </summary>
public sealed class StackTraceSymbolsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task LoggedException_OfTheNativeBuild_IsNamedBySymbolizeWithTheSymbolFileOfItsBuildId()
    {
        string symbols = NativeSymbols.RequireFile();

        // A state directory that is a file: the store logs the exception (event 1207) with its stack trace.
        string notADirectory = _temp.Combine("state");
        await File.WriteAllTextAsync(notADirectory, "a file", TestContext.Current.CancellationToken);
        string log = _temp.Combine("daemon.log");
        await using (var daemon = DaemonProcess.Start([
            $"--Device:Id={ProvisionId.Derive(Guid.NewGuid().ToString())}", $"--State:Directory={notADirectory}",
            $"--Grpc:SocketPath={_temp.Combine("p.sock")}", "--JsonRpc:Url=http://127.0.0.1:0"]))
        {
            await daemon.WaitForLineAsync(line => line.Contains("Provisioning is unavailable", StringComparison.Ordinal));
            await daemon.SignalAsync("TERM");
            await daemon.WaitForExitAsync();
            await File.WriteAllLinesAsync(log, daemon.Lines, TestContext.Current.CancellationToken);
        }

        string raw = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
        string buildId = await Readelf.BuildIdAsync(DaemonUnderTest.Executable);
        Assert.Contains($"starting (Native AOT, build ID {buildId})", raw, StringComparison.Ordinal);
        Assert.Contains("at provisioningd!<BaseAddress>+0x", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("StateStore__EnsureDirectory", raw, StringComparison.Ordinal);

        (int exitCode, string named) = await Shell.RunAsync(Repository.Combine("tools", "symbolize.sh"), symbols, log);

        Assert.True(exitCode == 0, named);
        Assert.Contains("at provisioningd_Provisioning_Daemon_State_StateStore__EnsureDirectory in ", named, StringComparison.Ordinal);
        Assert.Contains("StateStore.cs:", named, StringComparison.Ordinal);
        Assert.DoesNotContain("<BaseAddress>", named, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symbolize_LogOfAnotherBuild_RefusesNamingBothBuildIds()
    {
        string symbols = _temp.Combine("provisioningd.dbg");
        File.Copy("/bin/true", symbols);
        string log = _temp.Combine("daemon.log");
        await File.WriteAllTextAsync(
            log,
            "<6>Provisioning.Daemon.Hosting.DaemonHost[5200] provisioningd 1.0.0 starting (Native AOT, build ID 0123abcd)\n   at provisioningd!<BaseAddress>+0x10\n",
            TestContext.Current.CancellationToken);

        (int exitCode, string output) = await Shell.RunAsync(Repository.Combine("tools", "symbolize.sh"), symbols, log);

        Assert.Equal(1, exitCode);
        Assert.Contains("the log is of build 0123abcd", output, StringComparison.Ordinal);
        Assert.Contains(symbols, output, StringComparison.Ordinal);
    }
}
