using CsCheck;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.Tests.Common.Logging;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a\nb\rc\u0000d\u0085e", "a?b?c?d?e")]
    [InlineData("rtl\u202eoverride\u2066isolate\u200bzero", "rtl?override?isolate?zero")]
    [InlineData("line\u2028para\u2029", "line?para?")]
    public void Printable_ReplacesWhatWouldBreakOrDisguiseALine(string text, string expected) =>
        Assert.Equal(expected, LogText.Printable(text, '?', 100));

    [Fact]
    public void Printable_KeepsSurrogatePairs_ReplacesLoneSurrogates() =>
        Assert.Equal("pair \ud83d\ude00 kept, lone ? and ? not", LogText.Printable($"pair \ud83d\ude00 kept, lone {(char)0xd800} and {(char)0xdc00} not", '?', 100));

    [Fact]
    public void Printable_CutsAtTheLength_NeverInsideASurrogatePair()
    {
        Assert.Equal("abc", LogText.Printable("abcdef", '?', 3));
        Assert.Equal("ab", LogText.Printable("ab\ud83d\ude00", '?', 3));
    }

    [Fact]
    public void Printable_AnyText_IsOneLineOfVisibleCharactersWithinTheLength() =>
        Gen.String[Gen.Char, 0, 300].Sample(text =>
        {
            string printable = LogText.Printable(text, ' ', 200);
            Assert.True(printable.Length <= 200);
            Assert.DoesNotContain(printable, c => char.IsControl(c) || c is '\u2028' or '\u2029' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
            Assert.True(System.Text.Unicode.Utf8.FromUtf16(printable, new byte[printable.Length * 3], out _, out _, replaceInvalidSequences: false) == System.Buffers.OperationStatus.Done);
        });
}
