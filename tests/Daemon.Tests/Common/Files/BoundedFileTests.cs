using Provisioning.Daemon.Common.Files;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Common.Files;

/// <summary>Files an operator or a broken disk hands the daemon are read without trusting what they are.</summary>
public sealed class BoundedFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadAllBytes_SmallFile_ReturnsItsContent()
    {
        string path = _temp.Combine("small");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], BoundedFile.ReadAllBytes(path, 3));
    }

    [Fact]
    public void ReadAllBytes_OneByteOverTheLimit_IsRefused()
    {
        string path = _temp.Combine("big");
        File.WriteAllBytes(path, new byte[100_001]);

        Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 100_000));
    }

    [Fact]
    public void ReadAllBytes_FileThatSaysItIsFarTooLarge_IsRefusedUnread()
    {
        string path = _temp.Combine("sparse");
        using (var file = File.Create(path))
        {
            file.SetLength(1L << 40);   // a terabyte, sparse: reading it would take hours
        }

        var error = Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 4096));
        Assert.Contains("larger than 4096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAllBytes_SysfsAttribute_WhoseReportedPageSizeExceedsTheLimit_IsRead()
    {
        // sysfs reports a page (4 KiB, 64 KiB on some arm64 kernels) whatever an attribute holds; an identity file
        // such as /sys/class/dmi/id/product_uuid holds a few bytes.
        const string attribute = "/sys/devices/system/cpu/online";
        Assert.True(new FileInfo(attribute).Length > 64, $"{attribute} reports {new FileInfo(attribute).Length} bytes");

        Assert.Equal(File.ReadAllText(attribute), System.Text.Encoding.ASCII.GetString(BoundedFile.ReadAllBytes(attribute, 64)));
    }

    [Fact]
    public void ReadAllBytes_FileThatSaysAPageButHoldsMoreThanTheLimit_IsRefused()
    {
        string path = _temp.Combine("page");
        File.WriteAllBytes(path, new byte[4096]);

        Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes(path, 64));
    }

    [Fact]
    public void ReadAllBytes_DevZero_IsRefusedAfterTheLimitInsteadOfReadForever()
    {
        var error = Assert.Throws<InvalidDataException>(() => BoundedFile.ReadAllBytes("/dev/zero", 4096));

        Assert.Contains("larger than 4096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAllBytes_Fifo_IsRefusedWithoutWaitingForAWriter()
    {
        string path = _temp.Combine("fifo");
        await Shell.RunCheckedAsync("mkfifo", path);

        Task<byte[]> read = Task.Run(() => BoundedFile.ReadAllBytes(path, 4096));

        await Assert.ThrowsAsync<InvalidDataException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void ReadAllBytes_Directory_IsAnError()
    {
        Assert.ThrowsAny<Exception>(() => BoundedFile.ReadAllBytes(_temp.Path, 4096));
    }

    [Fact]
    public void ReadAllBytes_Missing_IsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => BoundedFile.ReadAllBytes(_temp.Combine("missing"), 4096));
    }
}
