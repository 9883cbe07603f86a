using System.Buffers;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// The limits of docs/backoffice-protocol.md that the server side checks. The daemon has its own copy
/// (it references this project, not the other way round).
/// </summary>
internal static class ProtocolRules
{
    public const int MaxLabelLength = 64;
    public const int MaxKeysPerLabel = 16;
    public const int MaxKeyBytes = 64 * 1024;

    private static readonly SearchValues<char> Base62 =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> LabelChars =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-");

    /// <summary>"WPE" followed by 13 base62 characters.</summary>
    public static bool IsValidProvisionId(string? id) =>
        id is { Length: 16 } && id.StartsWith("WPE", StringComparison.Ordinal) && !id.AsSpan(3).ContainsAnyExcept(Base62);

    public static bool IsValidLabel(string? label) =>
        label is { Length: > 0 and <= MaxLabelLength } && !label.AsSpan().ContainsAnyExcept(LabelChars);
}
