using Provisioning.Daemon.Memory;

namespace Provisioning.Daemon.Tests.Memory;

/// <summary>The value of DOTNET_GCHeapHardLimit, read as the runtimes read it (hexadecimal; the JIT runtime also takes "0x").</summary>
public sealed class GcHeapLimitTests
{
    [Theory]
    [InlineData("1000000", 16L * 1024 * 1024)]
    [InlineData("0x1000000", 16L * 1024 * 1024)]
    [InlineData("C00000", 12L * 1024 * 1024)]
    [InlineData(" 0XC00000 ", 12L * 1024 * 1024)]
    public void Requested_OfAHexadecimalValue_IsItsBytes(string value, long bytes) => Assert.Equal(bytes, GcHeapLimit.Requested(value));

    [Theory]
    [InlineData("16M")]
    [InlineData("0x")]
    [InlineData("-1")]
    [InlineData("0")]
    public void Requested_OfNoLimit_IsNull(string value) => Assert.Null(GcHeapLimit.Requested(value));
}
