using System.Buffers.Text;
using System.Security.Cryptography;

namespace Provisioning.Daemon.Model;

/// <summary>The limits docs/backoffice-protocol.md puts on a Provisioning, in one place.</summary>
internal static class ProvisioningRules
{
    /// <summary>Labels in one Provisioning: a device holds a handful (its DRM systems and apps).</summary>
    public const int MaxLabels = 64;
    public const int MaxLabelLength = 64;
    public const int MaxKeysPerLabel = 16;
    public const int MaxKeyBytes = 64 * 1024;

    public static bool IsValidLabel(string? label) =>
        label is { Length: > 0 and <= MaxLabelLength } && label.All(IsLabelChar);

    private static bool IsLabelChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    /// <summary>Checks a whole document; returns the first problem found, or null when it is valid.</summary>
    public static string? Validate(ProvisioningDocument document, string expectedId)
    {
        if (!string.Equals(document.Id, expectedId, StringComparison.Ordinal))
        {
            return "id does not match the device's provision ID";
        }

        if (document.Expires is { } expires && expires <= document.Issued)
        {
            return "expires is not after issued";
        }

        if (document.Labels.Count is 0 or > MaxLabels)
        {
            return document.Labels.Count == 0 ? "tokens is empty" : $"tokens has more than {MaxLabels} labels";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (LabelKeys label in document.Labels)
        {
            if (!IsValidLabel(label.Label))
            {
                return "a label is not 1-64 characters of [A-Za-z0-9._-]";
            }

            if (!seen.Add(label.Label))
            {
                return $"label '{label.Label}' appears twice";
            }

            if (label.Keys.Count is 0 or > MaxKeysPerLabel)
            {
                return $"label '{label.Label}' does not have 1-16 keys";
            }

            if (label.Keys.Any(k => k.Length is 0 or > MaxKeyBytes))
            {
                return $"a key of label '{label.Label}' is not 1 byte to 64 KiB";
            }
        }

        return null;
    }

    /// <summary>
    /// Decodes one base64 key from its UTF-8 text (white space ignored, as <see cref="Convert.FromBase64String"/> does),
    /// or returns null when it is not valid base64 of at most <see cref="MaxKeyBytes"/>.
    /// </summary>
    public static byte[]? DecodeKey(ReadOnlySpan<byte> base64)
    {
        if (!Base64.IsValid(base64, out int length) || length > MaxKeyBytes)
        {
            return null;
        }

        if (base64.IndexOfAny(Base64WhiteSpace) < 0)
        {
            return DecodeExactly(base64, length);
        }

        // White space is decoded without: the decoder of .NET 10.0 refuses some inputs with white space (after the
        // padding, or at the start) for a destination of exactly the decoded length (dotnet/runtime#123222).
        byte[] compact = new byte[base64.Length];
        try
        {
            int kept = 0;
            foreach (byte b in base64)
            {
                if (Base64WhiteSpace.IndexOf(b) < 0)
                {
                    compact[kept++] = b;
                }
            }

            return DecodeExactly(compact.AsSpan(0, kept), length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(compact);
        }
    }

    /// <summary>The white space base64 text may carry, as <see cref="Convert.FromBase64String"/> and <see cref="Base64.IsValid(ReadOnlySpan{byte}, out int)"/> skip it.</summary>
    private static ReadOnlySpan<byte> Base64WhiteSpace => " \t\r\n"u8;

    private static byte[]? DecodeExactly(ReadOnlySpan<byte> base64, int length)
    {
        byte[] key = new byte[length];
        if (Base64.DecodeFromUtf8(base64, key, out _, out int written) == System.Buffers.OperationStatus.Done && written == length)
        {
            return key;
        }

        CryptographicOperations.ZeroMemory(key);
        return null;
    }
}
