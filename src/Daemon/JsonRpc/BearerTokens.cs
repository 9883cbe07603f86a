using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Thunder SecurityAgent-style tokens: none configured means open; otherwise one must match.</summary>
internal sealed class BearerTokens(IOptions<JsonRpcOptions> options)
{
    private readonly byte[][] _tokens = [.. options.Value.Tokens.Select(Encoding.UTF8.GetBytes)];

    public bool IsAllowed(HttpContext context, bool allowQuery)
    {
        if (_tokens.Length == 0)
        {
            return true;
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

        return presented is not null && Matches(presented);
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
