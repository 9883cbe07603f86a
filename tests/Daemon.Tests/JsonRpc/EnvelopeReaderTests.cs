using System.Text;
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
}
