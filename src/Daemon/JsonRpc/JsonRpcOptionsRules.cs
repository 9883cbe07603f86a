using System.Net;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>The rules the annotations cannot say: the URL's shape, loopback, and the tokens. Failures read "Member: problem".</summary>
internal sealed class JsonRpcOptionsRules : IValidateOptions<JsonRpcOptions>
{
    public ValidateOptionsResult Validate(string? name, JsonRpcOptions options)
    {
        List<string> failures = [];
        if (options.Enabled)
        {
            if (!JsonRpcEndpointAddress.TryParse(options.Url!, out IPEndPoint? endPoint, out string? problem))
            {
                failures.Add($"Url: {problem}");
            }
            else if (!IPAddress.IsLoopback(endPoint.Address) && !options.AllowNonLoopback)
            {
                failures.Add("Url: must be a loopback address (127.0.0.1, [::1] or localhost) unless JsonRpc:AllowNonLoopback is true.");
            }
        }

        if (options.SocketEnabled && !Path.IsPathFullyQualified(options.SocketPath!))
        {
            failures.Add($"SocketPath: must be an absolute path; '{options.SocketPath}' is not.");
        }

        for (int i = 0; i < options.Tokens.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Tokens[i]))
            {
                failures.Add($"Tokens:{i}: must not be empty.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
