namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>One bad request and the exact answer the spec gives it (null: the error carries a data string).</summary>
internal sealed record MalformedCase(string Name, byte[] Body, int Code, string Message, uint? Id, bool WithData)
{
    /// <summary>Not valid in a WebSocket text frame at all (the protocol refuses it before the bridge sees it).</summary>
    public bool HttpOnly { get; init; }

    public void Check(string answer)
    {
        if (WithData)
        {
            Requests.AssertErrorWithData(answer, Code, Message, Id);
        }
        else
        {
            Assert.Equal(Requests.Error(Code, Message, Id), answer);
        }
    }

    public override string ToString() => Name;
}
