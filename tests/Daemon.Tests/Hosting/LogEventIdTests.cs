using System.Reflection;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

public sealed partial class LogEventIdTests
{
    private static readonly List<(string Method, string Folder, int EventId)> Messages =
    [
        .. typeof(ProvisioningEngine).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => ($"{m.Method.DeclaringType!.Name}.{m.Method.Name}", Folder(m.Method.DeclaringType!), m.Attribute!.EventId)),
    ];

    [Fact]
    public void LoggerMessages_InTheDaemon_HaveExplicitUniqueEventIds()
    {
        Assert.True(Messages.Count > 20, $"only {Messages.Count} [LoggerMessage] methods found");
        Assert.All(Messages, m => Assert.True(m.EventId > 0, $"{m.Method} has no explicit event id"));
        var duplicates = Messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(duplicates.Count == 0, "event ids used twice: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void LoggerMessages_StayInTheRangeOfTheirFolder()
    {
        Dictionary<string, (int First, int Last)[]> ranges = DocumentedRanges();

        string[] outside =
        [
            .. Messages.Where(m => !ranges.TryGetValue(m.Folder, out var folderRanges) || !folderRanges.Any(range => m.EventId >= range.First && m.EventId <= range.Last))
                .Select(m => $"{m.Method} ({m.Folder}) has {m.EventId}"),
        ];
        Assert.True(outside.Length == 0, "outside docs/architecture.md's ranges: " + string.Join("; ", outside));
    }

    /// <summary>The "Log event ids" table of docs/architecture.md: `| Folder | first-last |` or `| Folder | first-last, first-last |`.</summary>
    private static Dictionary<string, (int First, int Last)[]> DocumentedRanges() =>
        RangeRow().Matches(File.ReadAllText(Repository.Combine("docs", "architecture.md")))
            .ToDictionary(
                m => m.Groups[1].Value,
                m => m.Groups[2].Captures.Zip(m.Groups[3].Captures, (first, last) => (Number(first.Value), Number(last.Value))).ToArray());

    private static int Number(string digits) => int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

    private static string Folder(Type type) => type.Namespace!.Split('.') is [_, _, string folder, ..] ? folder : "(root)";

    [GeneratedRegex(@"^\|\s*(\w+)\s*\|\s*(?:(\d+)-(\d+)(?:,\s*)?)+\s*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex RangeRow();
}
