using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// docs/configuration.md, the daemon's list of known keys (<see cref="SettingKeys"/>) and the options classes
/// say the same: the same keys, and for every plain key the default the options class really has.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    /// <summary>Keys read outside the options classes.</summary>
    private static readonly string[] ReadDirectly = ["ConfigFile"];

    private static readonly Dictionary<string, string> Documented = ReadDocument();

    private static readonly Dictionary<string, object?> Bound = OptionsKeys();

    [Fact]
    public void KnownKeys_AreEveryKeyTheOptionsClassesBind() =>
        Assert.Equal(Sorted([.. Bound.Keys, .. ReadDirectly]), Sorted(SettingKeys.All));

    [Fact]
    public void Document_ListsEveryKnownKeyAndNoOther() =>
        Assert.Equal(Sorted(SettingKeys.All), Sorted(Documented.Keys));

    [Fact]
    public void Document_GivesTheDefaultOfEveryKey()
    {
        string[] wrong =
        [
            .. Bound.Where(pair => !pair.Key.Contains('*', StringComparison.Ordinal))
                .Where(pair => Documented.TryGetValue(pair.Key, out string? cell) && !cell.StartsWith(Expected(pair.Value), StringComparison.Ordinal))
                .Select(pair => $"{pair.Key}: the document says \"{Documented[pair.Key]}\", the default is {Expected(pair.Value)}"),
        ];
        Assert.True(wrong.Length == 0, string.Join("\n", wrong));
    }

    /// <summary>How the document writes a default: none, or the value in backticks.</summary>
    private static string Expected(object? value) => value switch
    {
        null => "none",
        ICollection { Count: 0 } => "none",
        bool b => b ? "`true`" : "`false`",
        TimeSpan t => $"`{t.ToString("c", CultureInfo.InvariantCulture)}`",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        _ => $"`{value}`",
    };

    /// <summary>Every row of the document's tables: `| \`Key\` | default | meaning |`, N and &lt;label&gt; read as *.</summary>
    private static Dictionary<string, string> ReadDocument() =>
        Row().Matches(File.ReadAllText(Repository.Combine("docs", "configuration.md")))
            .ToDictionary(m => Wildcards().Replace(m.Groups[1].Value, "*"), m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);

    /// <summary>Every key the options classes (types with a SectionName constant) bind, with the default of a fresh instance.</summary>
    private static Dictionary<string, object?> OptionsKeys()
    {
        var keys = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (Type type in typeof(ProvisioningEngine).Assembly.GetTypes())
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } section)
            {
                Walk(type, Activator.CreateInstance(type), (string)section.GetRawConstantValue()!, keys);
            }
        }

        return keys;
    }

    private static void Walk(Type type, object? instance, string prefix, Dictionary<string, object?> keys)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Type propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            string key = $"{prefix}:{property.Name}";
            if (IsLeaf(propertyType))
            {
                if (property.CanWrite)
                {
                    keys[key] = instance is null ? null : property.GetValue(instance);
                }
            }
            else if (ElementOf(propertyType) is { } element)
            {
                if (IsLeaf(element))
                {
                    keys[key + ":*"] = instance is null ? null : property.GetValue(instance);
                }
                else
                {
                    Walk(element, null, key + ":*", keys);
                }
            }
            else
            {
                Walk(propertyType, instance is null ? null : property.GetValue(instance), key, keys);
            }
        }
    }

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[^1]
        : null;

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(decimal);

    private static SortedSet<string> Sorted(IEnumerable<string> keys) => new(keys, StringComparer.Ordinal);

    [GeneratedRegex(@"^\|\s*`([A-Za-z][\w:<>]*)`\s*\|([^|]*)\|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"(?<=:)(N|<\w+>)(?=:|$)")]
    private static partial Regex Wildcards();
}
