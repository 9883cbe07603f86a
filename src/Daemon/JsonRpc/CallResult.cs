namespace Provisioning.Daemon.JsonRpc;

/// <summary>The outcome of one call: an error, or a result of one of the few shapes the interface has.</summary>
internal readonly struct CallResult
{
    private CallResult(JsonRpcError? error, object? value, bool isNull)
    {
        Error = error;
        Value = value;
        IsNull = isNull;
    }

    public static CallResult Null { get; } = new(null, null, true);

    public static CallResult Zero { get; } = new(null, 0, false);

    public JsonRpcError? Error { get; }

    /// <summary>An int, bool, string, <see cref="StateResult"/> or <see cref="PluginStatus"/> array.</summary>
    public object? Value { get; }

    public bool IsNull { get; }

    public static CallResult Of(object value) => new(null, value, false);

    public static CallResult Fail(JsonRpcError error) => new(error, null, false);

    public static implicit operator CallResult(JsonRpcError error) => Fail(error);
}
