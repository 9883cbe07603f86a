using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Provisioning.Daemon.Identity;

/// <summary>Provision IDs: "WPE" and 13 base62 characters, derived stably from an identity source.</summary>
internal static partial class ProvisionId
{
    /// <summary>The form docs/backoffice-protocol.md gives; Device:Id is validated against it too.</summary>
    public const string Pattern = "^WPE[0-9A-Za-z]{13}$";

    private const string Prefix = "WPE";
    private const int DigitCount = 13;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool IsValid(string? id) => id is not null && Form().IsMatch(id);

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

    [GeneratedRegex(Pattern)]
    private static partial Regex Form();
}
