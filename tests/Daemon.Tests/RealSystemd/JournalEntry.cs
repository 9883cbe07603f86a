using System.Globalization;
using System.Text.Json;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>One journal entry as `journalctl -o json` gives it.</summary>
public sealed record JournalEntry(string Message, int Priority, ulong Monotonic, IReadOnlyDictionary<string, string> Fields)
{
    public static JournalEntry Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                fields[property.Name] = property.Value.GetString()!;
            }
        }

        return new JournalEntry(
            fields.GetValueOrDefault("MESSAGE", string.Empty),
            int.Parse(fields.GetValueOrDefault("PRIORITY", "6"), CultureInfo.InvariantCulture),
            ulong.Parse(fields.GetValueOrDefault("__MONOTONIC_TIMESTAMP", "0"), CultureInfo.InvariantCulture),
            fields);
    }

    public override string ToString() => $"<{Priority}> {Message}";
}
