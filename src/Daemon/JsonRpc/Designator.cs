namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// A Thunder method designator, <c>[Callsign.][version.]method[@index]</c>. The method is the text after
/// the last dot; a run of digits before it is the version; the rest is the callsign.
/// </summary>
internal readonly record struct Designator(string Callsign, uint? Version, bool VersionOverflow, string Name, string? Index)
{
    public static Designator Parse(string text)
    {
        string? index = null;
        int at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            index = text[(at + 1)..];
            text = text[..at];
        }

        int lastDot = text.LastIndexOf('.');
        string name = text[(lastDot + 1)..];
        if (lastDot < 0)
        {
            return new Designator(string.Empty, null, false, name, index);
        }

        string prefix = text[..lastDot];
        int versionDot = prefix.LastIndexOf('.');
        string candidate = prefix[(versionDot + 1)..];
        if (candidate.Length == 0 || candidate.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return new Designator(prefix, null, false, name, index);
        }

        string callsign = versionDot < 0 ? string.Empty : prefix[..versionDot];
        bool parsed = uint.TryParse(candidate, out uint version);
        return new Designator(callsign, parsed ? version : null, !parsed, name, index);
    }

    /// <summary>True when the designator asks for a version other than 1 (no version means 1).</summary>
    public bool IsUnsupportedVersion => VersionOverflow || (Version is { } v && v != 1);
}
