using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Thunder SecurityAgent-style tokens: none configured means no token is asked for; otherwise one must match, and a
/// caller that presented one is granted what the Authorization rules with Tokens=true allow.
/// </summary>
internal sealed class BearerTokens(IOptions<JsonRpcOptions> options)
{
    private readonly byte[][] _tokens = [.. options.Value.Tokens.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Whether the request may pass the token gate, and whether it presented a valid token.</summary>
    public (bool Passes, bool Valid) Check(HttpContext context, bool allowQuery)
    {
        if (_tokens.Length == 0)
        {
            return (true, false);
        }

        string? presented = null;
        string? authorization = context.Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }
        else if (allowQuery)
        {
            presented = context.Request.Query["token"];
        }

        bool valid = presented is not null && Matches(presented);
        return (valid, valid);
    }

    private bool Matches(string presented)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(presented);
        bool match = false;
        foreach (byte[] token in _tokens)
        {
            // Compare against every token in constant time so the timing tells nothing about which is close.
            match |= CryptographicOperations.FixedTimeEquals(bytes, token);
        }

        return match;
    }
}
