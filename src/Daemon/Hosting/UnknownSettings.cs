namespace Provisioning.Daemon.Hosting;

/// <summary>
/// The configuration keys the daemon does not know (a typo such as Boot:MaxDelai would otherwise be ignored
/// in silence and the default used), each with the known key nearest to it.
/// </summary>
internal static class UnknownSettings
{
    /// <summary>Every key that has a value and matches no known key, with the nearest known key (null when none is close).</summary>
    public static List<(string Key, string? Nearest)> Find(IConfiguration configuration) =>
    [
        .. configuration.AsEnumerable()
            .Where(pair => pair.Value is not null && !IsKnown(pair.Key))
            .Select(pair => (pair.Key, Nearest(pair.Key)))
            .OrderBy(found => found.Key, StringComparer.OrdinalIgnoreCase),
    ];

    public static bool IsKnown(string key)
    {
        string[] segments = key.Split(':');
        return SettingKeys.OpenSections.Any(section => string.Equals(segments[0], section, StringComparison.OrdinalIgnoreCase))
            || SettingKeys.All.Any(known => Matches(known.Split(':'), segments));
    }

    /// <summary>The known key with the fewest edits from <paramref name="key"/>, if a few edits are enough.</summary>
    public static string? Nearest(string key)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string known in SettingKeys.All)
        {
            int distance = Distance(key.ToUpperInvariant(), Concrete(known, key).ToUpperInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (known, distance);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 4) ? best : null;
    }

    private static bool Matches(string[] pattern, string[] segments) =>
        pattern.Length == segments.Length
        && pattern.Zip(segments).All(pair => pair.First == "*" || string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase));

    /// <summary>The pattern with its `*` segments taken from the key, so `JsonRpc:Tokenz:0` is one edit from `JsonRpc:Tokens:*`.</summary>
    private static string Concrete(string pattern, string key)
    {
        string[] parts = pattern.Split(':');
        string[] given = key.Split(':');
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] == "*")
            {
                parts[i] = i < given.Length ? given[i] : string.Empty;
            }
        }

        return string.Join(':', parts);
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int Distance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
