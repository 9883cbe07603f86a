using Provisioning.Daemon.Memory;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Memory;

/// <summary>Which mappings the idle trim releases: only those that cannot hold the process's own data.</summary>
public sealed class MappedCodePagesTests
{
    private const string Executable = "/usr/lib/provisioningd/provisioningd";

    private const string Smaps = """
        55d0c0000000-55d0c001f000 r--p 00000000 fe:01 1234 /usr/lib/provisioningd/provisioningd
        Size:                124 kB
        Rss:                 124 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me sd
        55d0c001f000-55d0c0850000 r-xp 0001f000 fe:01 1234 /usr/lib/provisioningd/provisioningd
        Size:               8388 kB
        Rss:                7428 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me sd
        55d0c0850000-55d0c0900000 r--p 00850000 fe:01 1234 /usr/lib/provisioningd/provisioningd
        Size:                704 kB
        Rss:                 704 kB
        Anonymous:            48 kB
        VmFlags: rd mr mw me ac sd
        55d0c0900000-55d0c0940000 rw-p 00900000 fe:01 1234 /usr/lib/provisioningd/provisioningd
        Size:                256 kB
        Rss:                 236 kB
        Anonymous:           100 kB
        VmFlags: rd wr mr mw me ac sd
        55d0c0940000-55d0c0dc4000 rw-p 00000000 00:00 0
        Size:               4624 kB
        Rss:                4552 kB
        Anonymous:          4552 kB
        VmFlags: rd wr mr mw me ac sd
        7f9452200000-7f94522c5000 r-xp 000c5000 fe:01 99 /usr/lib/x86_64-linux-gnu/libcrypto.so.3
        Size:               2548 kB
        Rss:                1844 kB
        Anonymous:             0 kB
        7f9452300000-7f9452310000 r-xp 00000000 fe:01 98 /usr/lib/x86_64-linux-gnu/libnot-loaded.so
        Size:                 64 kB
        Rss:                   0 kB
        Anonymous:             0 kB
        7f9452400000-7f9452410000 r--p 00000000 fe:01 97 /var/lib/provisioning/state.json
        Size:                 64 kB
        Rss:                  64 kB
        Anonymous:             0 kB
        7f9452500000-7f9452510000 r-xp 00000000 00:01 96 /memfd:doublemapper (deleted)
        Size:                 64 kB
        Rss:                  64 kB
        Anonymous:             0 kB
        7f9452600000-7f9452610000 r-xp 00000000 fe:01 95 /usr/lib/x86_64-linux-gnu/libc.so.6
        Size:                 64 kB
        Rss:                  64 kB
        7ffd5e9f0000-7ffd5e9f2000 r-xp 00000000 00:00 0                          [vdso]
        Size:                  8 kB
        Rss:                   8 kB
        Anonymous:             0 kB
        """;

    [Fact]
    public void Releasable_AreTheCleanResidentReadOnlyMappingsOfTheExecutableAndItsLibraries()
    {
        List<MappedCodePages.Mapping> mappings = [.. MappedCodePages.Parse(Smaps.Split('\n'))];

        Assert.Equal(11, mappings.Count);
        Assert.Equal(
            ["55d0c0000000 r--p " + Executable, "55d0c001f000 r-xp " + Executable, "7f9452200000 r-xp /usr/lib/x86_64-linux-gnu/libcrypto.so.3"],
            MappedCodePages.Releasable(mappings, Executable).Select(m => $"{m.Start:x} {m.Permissions} {m.Path}"));
    }

    [Fact]
    public void Parse_ReadsRangesAndCounters()
    {
        MappedCodePages.Mapping text = MappedCodePages.Parse(Smaps.Split('\n')).ElementAt(1);

        Assert.Equal(new MappedCodePages.Mapping(0x55d0c001f000, 0x55d0c0850000, "r-xp", Executable, 7428, 0), text);
    }

    [Fact]
    public void Release_OfThisProcess_UnmapsCodePagesAndTheProcessRunsOn()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/smaps is Linux's");
        long before = ResidentKiBOfLibraries();

        long released = MappedCodePages.Release();

        Assert.True(released > 0, "nothing released");
        Assert.True(ResidentKiBOfLibraries() < before, $"resident pages of the shared libraries: {before} KiB before, not fewer after");
    }

    [Fact]
    public void Release_WhereSmapsCannotBeRead_ReleasesNothingAndDoesNotThrow()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "/proc/self/smaps is Linux's");
        using var folder = new TempDirectory();

        Assert.Equal(0, MappedCodePages.Release(folder.Combine("no-smaps")));
        Assert.Equal(0, MappedCodePages.Release(folder.Path));
    }

    private static long ResidentKiBOfLibraries() =>
        MappedCodePages.Parse(File.ReadLines("/proc/self/smaps"))
            .Where(m => m.Path.Contains(".so", StringComparison.Ordinal) && !m.Permissions.Contains('w', StringComparison.Ordinal))
            .Sum(m => m.RssKiB);
}
