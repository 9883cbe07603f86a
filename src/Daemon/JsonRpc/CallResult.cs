namespace Provisioning.Daemon.JsonRpc;

/// <summary>The outcome of one call: an error, or a result of one of the few shapes the interface has.</summary>
internal readonly struct CallResult
{
    private CallResult(JsonRpcError? error, object? value)
    {
        Error = error;
        Value = value;
    }

    public static CallResult Null { get; } = new(null, null);

    public static CallResult Zero { get; } = new(null, 0);

    public JsonRpcError? Error { get; }

    /// <summary>An int, bool, string, <see cref="StateResult"/> or <see cref="PluginStatus"/> array.</summary>
    public object? Value { get; }

    public static CallResult Of(object value) => new(null, value);

    public static CallResult Fail(JsonRpcError error) => new(error, null);

    public static implicit operator CallResult(JsonRpcError error) => Fail(error);
}
