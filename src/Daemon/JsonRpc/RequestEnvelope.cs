namespace Provisioning.Daemon.JsonRpc;

/// <summary>What the envelope reader found; params stay raw bytes until a member reads them.</summary>
internal readonly record struct RequestEnvelope(
    EnvelopeStatus Status,
    uint? Id,
    string? Method,
    int ParamsStart,
    int ParamsLength)
{
    /// <summary>No params member, or "params": null.</summary>
    public bool HasParams => ParamsLength > 0;

    public ReadOnlySpan<byte> Params(ReadOnlySpan<byte> body) =>
        HasParams ? body.Slice(ParamsStart, ParamsLength) : default;
}
