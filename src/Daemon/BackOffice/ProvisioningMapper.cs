using Provisioning.Daemon.BackOffice.Wire;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice;

/// <summary>Turns a wire Provisioning into a validated <see cref="ProvisioningDocument"/>, or says why it cannot.</summary>
internal static class ProvisioningMapper
{
    /// <param name="now">When the answer arrived: one that has already expired is refused. Storing it would replace keys
    /// that may still be good with keys that are not, and read as a success; a device clock that is behind never
    /// refuses one (its expires is later still).</param>
    public static ProvisioningDocument? ToDocument(ProvisioningBody? body, string expectedId, DateTimeOffset now, out string? problem)
    {
        if (body is null)
        {
            problem = "the body is not a Provisioning";
            return null;
        }

        if (body.Id is null || body.Issued is null || body.Tokens is null)
        {
            Forget(body);
            problem = "id, issued or tokens is missing";
            return null;
        }

        var labels = new List<LabelKeys>(body.Tokens.Count);
        foreach (TokenBody? token in body.Tokens)
        {
            if (token?.Label is null || token.Keys is null)
            {
                Forget(body);
                problem = "a token has no label or no keys";
                return null;
            }

            var keys = new List<byte[]>(token.Keys.Count);
            labels.Add(new LabelKeys(token.Label, keys));
            foreach (byte[]? key in token.Keys)
            {
                if (key is null)
                {
                    Forget(body);
                    problem = "a key is not base64 of at most 64 KiB";
                    return null;
                }

                keys.Add(key);
            }
        }

        var document = new ProvisioningDocument(body.Id, body.Issued.Value, body.Expires, labels);
        problem = ProvisioningRules.Validate(document, expectedId)
            ?? (document.Expires is { } expires && expires <= now ? $"expires ({expires:o}) is already past" : null);
        if (problem is not null)
        {
            Forget(body);
            return null;
        }

        return document;
    }

    // Keys of a rejected answer are secrets too; they are wiped rather than left for the collector: every key
    // the answer held, decoded as it was read, not only those looked at before the problem.
    private static void Forget(ProvisioningBody body) => body.Tokens?.ForEach(token => token?.Wipe());
}
