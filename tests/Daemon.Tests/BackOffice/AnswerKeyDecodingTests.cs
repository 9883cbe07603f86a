using System.Text;
using System.Text.Json;
using CsCheck;
using Provisioning.Daemon.BackOffice.Wire;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// The keys of an answer, decoded from its UTF-8 as it is read (Base64KeysConverter), agree with
/// <see cref="Convert.FromBase64String"/> on every text, white space and JSON escapes included.
/// </summary>
public sealed class AnswerKeyDecodingTests
{
    [Theory]
    [InlineData("QUI=\n\n\n\n", new byte[] { 0x41, 0x42 })]
    [InlineData("    QUI=", new byte[] { 0x41, 0x42 })]
    [InlineData("QUI=    ", new byte[] { 0x41, 0x42 })]
    [InlineData("QQ==\r\n\r\n", new byte[] { 0x41 })]
    [InlineData("\tAQ ID\r\n", new byte[] { 1, 2, 3 })]
    [InlineData("A Q = =", new byte[] { 1 })]
    public void WhiteSpaceAnywhere_IsSkippedAsConvertDoes(string text, byte[] expected)
    {
        Assert.Equal(expected, Convert.FromBase64String(text));
        Assert.Equal([expected], Keys(JsonSerializer.Serialize(text)));
    }

    [Fact]
    public void AKeyInLinesOf76_EndingInBlankLines_IsDecoded()
    {
        byte[] key = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        string text = Convert.ToBase64String(key, Base64FormattingOptions.InsertLineBreaks) + "\r\n\r\n";

        Assert.Equal([key], Keys(JsonSerializer.Serialize(text)));
    }

    [Fact]
    public void EscapedCharacters_AreDecodedAsTheirText()
    {
        // "AQ+/" written with \u escapes, as a JSON encoder that escapes '+' writes it.
        Assert.Equal([[1, 15, 191]], Keys("\"AQ\\u002B\\/\""));
    }

    [Theory]
    [InlineData("\"not base64!\"")]
    [InlineData("\"AQI\"")]
    [InlineData("\"AQ=D\"")]
    [InlineData("\"\\u00e9AAA\"")]
    [InlineData("null")]
    public void TextThatIsNotBase64_IsNull(string json) => Assert.Equal([null], Keys(json));

    [Fact]
    public void AKeyOfMoreThan64KiB_IsNull()
    {
        string text = Convert.ToBase64String(new byte[64 * 1024 + 1]);
        Assert.Equal([null], Keys(JsonSerializer.Serialize(text)));
        Assert.Equal(64 * 1024, Keys(JsonSerializer.Serialize(Convert.ToBase64String(new byte[64 * 1024])))[0]!.Length);
    }

    [Fact]
    public void AnyKeyWithWhiteSpaceAndEscapesAnywhere_DecodesAsConvertDoes()
    {
        Gen<string> whiteSpace = Gen.OneOf(Gen.Const(" "), Gen.Const("\t"), Gen.Const("\r\n"), Gen.Const("\n")).Array[0, 3].Select(string.Concat);
        Gen.Select(Gen.Byte.Array[1, 300], whiteSpace.Array[0, 8], Gen.Int[0, 1000].Array[0, 8], whiteSpace, whiteSpace, Gen.Bool)
            .Sample((key, spaces, places, before, after, escapeAll) =>
            {
                var text = new StringBuilder(Convert.ToBase64String(key));
                for (int i = 0; i < Math.Min(spaces.Length, places.Length); i++)
                {
                    text.Insert(places[i] % (text.Length + 1), spaces[i]);
                }

                text.Insert(0, before).Append(after);

                string json = escapeAll
                    ? "\"" + string.Concat(text.ToString().Select(c => $"\\u{(int)c:X4}")) + "\""
                    : JsonSerializer.Serialize(text.ToString());
                return Keys(json) is [byte[] decoded] && decoded.AsSpan().SequenceEqual(Convert.FromBase64String(text.ToString()));
            });
    }

    private static List<byte[]?> Keys(string keyJson)
    {
        string answer = $$"""{"id":"d","issued":"2026-11-25T10:00:00Z","tokens":[{"label":"a","keys":[{{keyJson}}]}]}""";
        ProvisioningBody body = JsonSerializer.Deserialize(answer, BackOfficeJsonContext.Default.ProvisioningBody)!;
        return body.Tokens![0]!.Keys!;
    }
}
