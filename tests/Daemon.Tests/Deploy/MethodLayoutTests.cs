using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>
/// The Native AOT build lays out its methods in the order of src/Daemon/method-order.txt (IlcOrderFile in
/// Daemon.csproj), so that what runs when idle and what serves callers is mapped in a few 64 KiB blocks of the
/// executable instead of most of its text (bench/README.md, "Footprint"). Checked on the symbol table of the
/// executable under test (provisioningd.dbg, which the publish writes beside it), read with nm.
/// </summary>
public sealed class MethodLayoutTests
{
    /// <summary>Below this share of its methods still in the build, the file is out of date.</summary>
    private const double MinimumShareInBuild = 0.9;

    [Fact]
    public async Task NativeExecutable_LaysOutTheListedMethodsInTheFilesOrder()
    {
        IReadOnlyDictionary<string, ulong> addresses = await NativeSymbols.FunctionAddressesAsync();
        string[] listed = [.. File.ReadLines(Repository.Combine("src", "Daemon", "method-order.txt")).Where(line => line.Length > 0 && !line.StartsWith('#'))];
        ulong[] laidOut = [.. listed.Where(addresses.ContainsKey).Select(name => addresses[name])];

        double share = laidOut.Length / (double)listed.Length;
        Assert.True(share >= MinimumShareInBuild, $"only {share:P1} of the {listed.Length} methods of src/Daemon/method-order.txt are in the build: run bench/footprint/method-order.sh");
        // Equal addresses are one method's names: an exported method has its export name beside the compiler's.
        int[] outOfOrder = [.. Enumerable.Range(1, laidOut.Length - 1).Where(i => laidOut[i] < laidOut[i - 1])];
        Assert.True(outOfOrder.Length == 0, $"{outOfOrder.Length} of {laidOut.Length} listed methods are not after the one listed before them (is IlcOrderFile still set?)");
    }
}
