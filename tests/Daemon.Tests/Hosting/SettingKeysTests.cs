using System.Collections;
using System.Reflection;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Hosting;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>The list of known keys is exactly what the options classes bind: nothing missing, nothing stale.</summary>
public sealed class SettingKeysTests
{
    /// <summary>Keys read outside the options classes.</summary>
    private static readonly string[] ReadDirectly = ["ConfigFile"];

    [Fact]
    public void All_IsEveryKeyTheOptionsClassesBind()
    {
        SortedSet<string> bound = [.. OptionsKeys(), .. ReadDirectly];

        Assert.Equal(bound, new SortedSet<string>(SettingKeys.All, StringComparer.Ordinal));
    }

    /// <summary>Every options class (a type with a SectionName constant) and the keys its properties bind, recursively.</summary>
    public static IEnumerable<string> OptionsKeys() =>
        typeof(ProvisioningEngine).Assembly.GetTypes()
            .Where(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true })
            .SelectMany(type => Keys(type, (string)type.GetField("SectionName")!.GetRawConstantValue()!));

    private static IEnumerable<string> Keys(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite || !IsLeaf(property.PropertyType))
            .SelectMany(property => KeysOf(property.PropertyType, $"{prefix}:{property.Name}"));

    private static IEnumerable<string> KeysOf(Type type, string key)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsLeaf(type))
        {
            return [key];
        }

        Type? element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[^1]
            : null;
        return element is not null ? KeysOf(element, key + ":*") : Keys(type, key);
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(decimal);
}
