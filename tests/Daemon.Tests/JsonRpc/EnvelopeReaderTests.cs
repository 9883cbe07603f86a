using System.Numerics;
using System.Text;
using CsCheck;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

public sealed class EnvelopeReaderTests
{
    [Fact]
    public void Read_MembersInAnyOrder_FindsIdMethodAndTheRawParams()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"params":{"label":"a","index":[1,{"x":2}]},"method":"Provisioning.1.index","jsonrpc":"2.0","id":"7"}""");
        RequestEnvelope envelope = EnvelopeReader.Read(body, 32);
        Assert.Equal(EnvelopeStatus.Valid, envelope.Status);
        Assert.Equal(7u, envelope.Id);
        Assert.Equal("Provisioning.1.index", envelope.Method);
        Assert.Equal("""{"label":"a","index":[1,{"x":2}]}""", Encoding.UTF8.GetString(envelope.Params(body)));
    }

    [Fact]
    public void Read_LargeOtherMembers_SkippedWithoutChangingTheResult()
    {
        string big = string.Concat(Enumerable.Repeat("""{"k":[1,2,3],"s":"text"},""", 1000));
        byte[] body = Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","big":[{{big}}0],"id":1,"method":"Provisioning.1.state","params":null}""");
        RequestEnvelope envelope = EnvelopeReader.Read(body, 32);
        Assert.Equal(EnvelopeStatus.Valid, envelope.Status);
        Assert.Equal("Provisioning.1.state", envelope.Method);
        Assert.False(envelope.HasParams);
    }

    [Theory]
    [InlineData("""{"id":1,"method":"m","params":5}""", "5")]
    [InlineData("""{"id":1,"method":"m","params":"text"}""", "\"text\"")]
    [InlineData("""{"id":1,"method":"m","params":[]}""", "[]")]
    [InlineData("""{"id":1,"method":"m","params": {} }""", "{}")]
    public void Read_ParamsOfAnyKind_SliceIsExactlyTheValue(string json, string expected)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        Assert.Equal(expected, Encoding.UTF8.GetString(EnvelopeReader.Read(body, 32).Params(body)));
    }

    [Theory]
    [InlineData(2, "{\"id\":1,\"method\":\"m\",\"params\":{}}", false)]
    [InlineData(2, "{\"id\":1,\"method\":\"m\",\"params\":{\"a\":[]}}", true)]
    [InlineData(1, "{\"id\":1,\"method\":\"m\"}", false)]
    [InlineData(1, "{\"id\":1,\"method\":\"m\",\"params\":{}}", true)]
    public void Read_DepthLimit_CountsTheEnvelopeAsLevelOne(int maxDepth, string json, bool tooDeep) =>
        Assert.Equal(tooDeep ? EnvelopeStatus.TooDeep : EnvelopeStatus.Valid, EnvelopeReader.Read(Encoding.UTF8.GetBytes(json), maxDepth).Status);

    [Fact]
    public void Read_TooDeepBeforeBrokenJson_RefusedAsTooDeepWithoutReadingFurther()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"params\":" + new string('[', 100) + " this is not json");
        Assert.Equal(EnvelopeStatus.TooDeep, EnvelopeReader.Read(body, 32).Status);
    }

    /// <summary>
    /// Ids in any JSON number notation against exact arithmetic: whole and within 0..2^32-1 exactly when the
    /// rational value M × 10^(E − fraction digits) is. Close-to-whole fractions and long zero runs included.
    /// </summary>
    [Fact]
    public void TryWholeNumber_AgreesWithExactArithmetic()
    {
        Gen<string> digits = Gen.OneOf(Gen.Char['0', '9'].Array[1, 14].Select(c => new string(c)), Gen.Int[0, 30].Select(n => new string('0', n) + "1"), Gen.Const(""));
        Gen<string> integer = Gen.OneOf(Gen.Const("0"), Gen.Char['1', '9'].Select(Gen.Char['0', '9'].Array[0, 12], (first, rest) => first + new string(rest)));
        Gen<string> number = Gen.Select(Gen.Bool, integer, digits, Gen.OneOf(Gen.Const(""), Gen.Int[-40, 40].Select(e => "e" + e), Gen.Int[0, 12].Select(e => "E+" + e)))
            .Select((negative, whole, fraction, exponent) => (negative ? "-" : "") + whole + (fraction.Length > 0 ? "." + fraction : "") + exponent);

        number.Sample(json =>
        {
            bool whole = EnvelopeReader.TryWholeNumber(Encoding.ASCII.GetBytes(json), out uint value);
            (bool expectedWhole, BigInteger expected) = Exact(json);
            return whole == expectedWhole && (!whole || value == expected);
        }, iter: 20_000);
    }

    [Theory]
    [InlineData(1000, -1001, false)] // 1 and 1000 zeros, e-1001: 0.1
    [InlineData(1100, -1100, true)] // 1
    [InlineData(1100, -1091, true)] // 10^9
    [InlineData(1100, -1090, false)] // 10^10: out of range
    public void TryWholeNumber_LongDigitRunsAgainstLargeExponents_StayExact(int zeros, int exponent, bool whole)
    {
        string json = "1" + new string('0', zeros) + "e" + exponent;
        Assert.Equal(whole, EnvelopeReader.TryWholeNumber(Encoding.ASCII.GetBytes(json), out _));
        Assert.Equal(whole, Exact(json).Whole);
        string fraction = "0." + new string('0', zeros) + "1e" + (zeros + 1 + 9); // 10^9 written with a long fraction
        Assert.True(EnvelopeReader.TryWholeNumber(Encoding.ASCII.GetBytes(fraction), out uint value));
        Assert.Equal(1_000_000_000u, value);
    }

    private static (bool Whole, BigInteger Value) Exact(string json)
    {
        int e = json.IndexOfAny(['e', 'E']);
        string mantissa = e < 0 ? json : json[..e];
        int exponent = e < 0 ? 0 : int.Parse(json[(e + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        int fractionDigits = point < 0 ? 0 : mantissa.Length - point - 1;
        var m = BigInteger.Abs(BigInteger.Parse(mantissa.Replace(".", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        bool negative = json.StartsWith('-') && !m.IsZero;
        int shift = exponent - fractionDigits;
        BigInteger value;
        if (shift >= 0)
        {
            value = m * BigInteger.Pow(10, shift);
        }
        else
        {
            BigInteger divisor = BigInteger.Pow(10, -shift);
            if (!(m % divisor).IsZero)
            {
                return (false, 0);
            }

            value = m / divisor;
        }

        return (!negative && value <= uint.MaxValue, value);
    }
}
