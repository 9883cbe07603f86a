using System.Reflection;
using System.Text;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>
/// What goes onto a device is the daemon alone: no back-office simulator, no development host, no test hook.
/// Checked on the compiled provisioningd assembly and, when the daemon under test is the Native AOT build
/// (CI sets PROVISIONINGD_TEST_BIN to it), on the bytes of the published executable.
/// </summary>
public sealed class DeviceBinaryTests
{
    /// <summary>Names that exist only in the simulator, the development host and the test hosts.</summary>
    private static readonly string[] ForeignNames =
    [
        "Provisioning.BackOfficeSimulator", "SimulatorServer", "SimulatorState", "DeviceRegistry", "FaultPlan", "Provisioning.Daemon.Dev", "DevMode", "DevBanner",
        "provisioningd-dev", "provisioningd-wedged", "BlockingClock", "WedgedEngine", "PROVISIONINGD_WEDGE_FILE",
    ];

    private static readonly Assembly Daemon = typeof(DaemonProgram).Assembly;

    /// <summary>A name as the compiler spells it in a method's symbol: dots and dashes become underscores.</summary>
    private static string Mangled(string name) => name.Replace('.', '_').Replace('-', '_');

    [Fact]
    public void DaemonAssembly_ReferencesNoSimulatorOrHostOfTests()
    {
        string[] references = [.. Daemon.GetReferencedAssemblies().Select(a => a.Name!)];

        Assert.Contains("Provisioning.Contracts", references);
        Assert.DoesNotContain(references, name => name.Contains("Simulator", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, name => name.StartsWith("provisioningd-", StringComparison.Ordinal));
    }

    [Fact]
    public void DaemonAssembly_HasNoDevelopmentOrTestTypes()
    {
        string[] types = [.. Daemon.GetTypes().Select(t => t.FullName!)];

        Assert.Contains("Provisioning.Daemon.Engine.ProvisioningEngine", types);
        Assert.DoesNotContain(types, name => name.StartsWith("Provisioning.Daemon.Dev.", StringComparison.Ordinal));
        Assert.DoesNotContain(types, name => ForeignNames.Any(foreign => name.Contains(foreign, StringComparison.Ordinal)));
        Assert.DoesNotContain(types, name => name.Contains("TestHook", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NativeExecutable_ContainsNoSimulatorDevelopmentOrTestNames()
    {
        string text = await NativeExecutableTextAsync();

        // The search finds names that are there: the daemon's own types are named in its reflection data and logger categories.
        Assert.Contains("ProvisioningEngine", text, StringComparison.Ordinal);
        Assert.Contains("JsonRpcDispatcher", text, StringComparison.Ordinal);
        string[] found = [.. ForeignNames.Where(name => text.Contains(name, StringComparison.Ordinal))];
        Assert.True(found.Length == 0, $"{DaemonUnderTest.Executable} contains: {string.Join(", ", found)}");
    }

    [Fact]
    public async Task NativeExecutable_CompiledMethods_IncludeNoSimulatorDevelopmentOrTestCode()
    {
        // Every compiled method by name, from the symbol file of the same publish (the executable has no names).
        string[] methods = [.. (await NativeSymbols.FunctionAddressesAsync()).Keys];

        Assert.Contains(methods, name => name.StartsWith("provisioningd_Provisioning_Daemon_Engine_ProvisioningEngine__", StringComparison.Ordinal));
        string[] found = [.. ForeignNames.Select(Mangled).Where(name => methods.Any(method => method.Contains(name, StringComparison.Ordinal)))];
        Assert.True(found.Length == 0, $"{DaemonUnderTest.Executable} compiles methods of: {string.Join(", ", found)}");
    }

    [Fact]
    public async Task NativeExecutable_ForLinux_HasNoWindowsServiceHost()
    {
        string[] methods = [.. (await NativeSymbols.FunctionAddressesAsync()).Keys];

        Assert.Contains(methods, name => name.Contains("Microsoft_Extensions_Hosting_Systemd_SystemdLifetime__", StringComparison.Ordinal));
        Assert.DoesNotContain(methods, name => name.Contains("WindowsServiceLifetime", StringComparison.Ordinal));
        Assert.DoesNotContain(methods, name => name.StartsWith("Microsoft_Extensions_Logging_EventLog_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NativeExecutable_HasNoHttpClientFactory()
    {
        // The back office has one HttpClient; a factory for it is 117 KB of the executable (bench/README.md, "Footprint").
        string[] methods = [.. (await NativeSymbols.FunctionAddressesAsync()).Keys];

        Assert.Contains(methods, name => name.StartsWith("provisioningd_Provisioning_Daemon_BackOffice_BackOfficeClient__", StringComparison.Ordinal));
        Assert.DoesNotContain(methods, name => name.StartsWith("Microsoft_Extensions_Http_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NativeExecutable_HasNoResponseDecompression()
    {
        // The back office's answers are not compressed, and the handler never asks for it. Setting
        // SocketsHttpHandler.AutomaticDecompression at all, even to None, compiles in its decompression stage with
        // Brotli's encoder and decoder and zlib: 0.9 MB of the executable (bench/README.md, "Footprint").
        string[] methods = [.. (await NativeSymbols.FunctionAddressesAsync()).Keys];

        Assert.Contains(methods, name => name.StartsWith("System_Net_Http_System_Net_Http_SocketsHttpHandler__", StringComparison.Ordinal));
        Assert.DoesNotContain(methods, name => name.StartsWith("System_Net_Http_System_Net_Http_DecompressionHandler", StringComparison.Ordinal));
        Assert.DoesNotContain(methods, name => name.StartsWith("Brotli", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NativeExecutable_HasNoRegularExpressionEngine()
    {
        // Nothing in the daemon needs one, and it is 0.85 MB of the executable (bench/README.md, "Footprint").
        string text = await NativeExecutableTextAsync();

        Assert.Contains("ProvisioningEngine", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RegexInterpreter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RegexParser", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The executable's bytes as Latin-1: every ASCII name in it (stack-trace metadata, reflection metadata,
    /// string literals) can be searched as text. Skips unless the daemon under test is the Native AOT build.
    /// </summary>
    private static async Task<string> NativeExecutableTextAsync()
    {
        if (!DaemonUnderTest.IsNativeAot)
        {
            Assert.Skip($"the daemon under test is not a Native AOT build ({DaemonUnderTest.Executable}); CI sets {DaemonUnderTest.BinVariable} to one");
        }

        return Encoding.Latin1.GetString(await File.ReadAllBytesAsync(DaemonUnderTest.Executable, TestContext.Current.CancellationToken));
    }
}
