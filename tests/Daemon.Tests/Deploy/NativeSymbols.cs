using System.Globalization;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>
/// The symbol file that the Native AOT publish writes beside the executable (provisioningd.dbg): the names of
/// its compiled methods, which the executable itself does not carry (StackTraceSupport=false).
/// </summary>
internal static class NativeSymbols
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, ulong>>> Addresses = new(() => ReadFunctionAddressesAsync(RequireFile()));

    /// <summary>The symbol file of the daemon under test; skips the test unless it is a Native AOT build with one.</summary>
    public static string RequireFile()
    {
        string symbols = Path.Combine(DaemonUnderTest.PublishFolder, "provisioningd.dbg");
        if (!DaemonUnderTest.IsNativeAot || !File.Exists(symbols))
        {
            Assert.Skip($"the daemon under test is not a Native AOT build with its symbols ({symbols}); CI sets {DaemonUnderTest.BinVariable} to one");
        }

        return symbols;
    }

    /// <summary>
    /// The address of each function (nm types t and T) of the symbol file, read with nm once for the test run (the
    /// daemon under test does not change within it); the first of a repeated name.
    /// </summary>
    public static Task<IReadOnlyDictionary<string, ulong>> FunctionAddressesAsync()
    {
        _ = RequireFile(); // each test skips on its own
        return Addresses.Value;
    }

    private static async Task<IReadOnlyDictionary<string, ulong>> ReadFunctionAddressesAsync(string symbols)
    {
        (int exitCode, string output) = await Shell.RunAsync("nm", "--defined-only", symbols);
        Assert.True(exitCode == 0, $"nm {symbols} failed ({exitCode}): {output[..Math.Min(output.Length, 500)]}");
        var addresses = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n'))
        {
            string[] fields = line.Split(' ', 3);
            if (fields is [string address, "t" or "T", string name]
                && ulong.TryParse(address, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
            {
                addresses.TryAdd(name, value);
            }
        }

        return addresses;
    }
}
