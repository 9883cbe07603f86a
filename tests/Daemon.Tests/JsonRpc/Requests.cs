namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>Request bodies and expected answers used across the spec tests.</summary>
internal static class Requests
{
    public const string ExistsProvision = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"provision"}}""";

    public static string Call(string method, uint id = 1, string? parameters = null) =>
        parameters is null
            ? $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}"}"""
            : $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""";

    public static string Register(string clientId, uint id = 1, string method = "Provisioning.1.register") =>
        Call(method, id, $$"""{"event":"provisioningchange","id":"{{clientId}}"}""");

    public static string Result(string json, uint id = 1) => $$"""{"jsonrpc":"2.0","id":{{id}},"result":{{json}}}""";

    public static string Error(int code, string message, uint? id = 1) =>
        $$$"""{"jsonrpc":"2.0","id":{{{(id is null ? "null" : id.ToString())}}},"error":{"code":{{{code}}},"message":"{{{message}}}"}}""";

    /// <summary>The error with the bridge's explanatory data member, whatever the data says.</summary>
    public static void AssertErrorWithData(string body, int code, string message, uint? id)
    {
        string prefix = Error(code, message, id)[..^2];
        Assert.StartsWith(prefix + ",\"data\":\"", body, StringComparison.Ordinal);
        Assert.EndsWith("\"}}", body, StringComparison.Ordinal);
    }
}
