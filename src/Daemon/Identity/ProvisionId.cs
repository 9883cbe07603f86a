using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Daemon.Identity;

/// <summary>Provision IDs: "WPE" and 13 base62 characters, derived stably from an identity source.</summary>
internal static class ProvisionId
{
    /// <summary>The form docs/backoffice-protocol.md gives (^WPE[0-9A-Za-z]{13}$), for messages.</summary>
    public const string Form = "WPE followed by 13 base62 characters (0-9, A-Z, a-z)";

    private const string Prefix = "WPE";
    private const int DigitCount = 13;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> Base62 = SearchValues.Create(Alphabet);

    /// <summary>Whether <paramref name="id"/> has the <see cref="Form"/> (checked by hand: no regular-expression engine in the device binary).</summary>
    public static bool IsValid(string? id) =>
        id?.Length == Prefix.Length + DigitCount && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(Prefix.Length).IndexOfAnyExcept(Base62) < 0;

    /// <summary>Derives the ID from the identity (e.g. the text of /etc/machine-id), ignoring surrounding white space.</summary>
    public static string Derive(string identity)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity.Trim()));
        UInt128 value = new(
            BinaryPrimitives.ReadUInt64BigEndian(hash.AsSpan(0, 8)),
            BinaryPrimitives.ReadUInt64BigEndian(hash.AsSpan(8, 8)));

        Span<char> digits = stackalloc char[DigitCount];
        for (int i = DigitCount - 1; i >= 0; i--)
        {
            digits[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return Prefix + new string(digits);
    }
}
