using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>
/// The paragraph of docs/architecture.md that lists how each feature registers itself names exactly the
/// <c>AddX(this IServiceCollection ...)</c> methods the daemon has: a renamed, new or removed one fails here.
/// </summary>
public sealed partial class RegistrationListTests
{
    private const string ParagraphStart = "Each feature registers itself";

    [Fact]
    public void Architecture_NamesExactlyTheRegistrationMethodsOfTheDaemon()
    {
        string[] compiled =
        [
            .. typeof(ProvisioningEngine).Assembly.GetTypes()
                .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Where(IsRegistration)
                .Select(method => method.Name)
                .Order(StringComparer.Ordinal),
        ];

        Assert.True(compiled.Length > 5, $"only {compiled.Length} registration methods found");
        Assert.Equal(compiled, DocumentedNames());
    }

    private static bool IsRegistration(MethodInfo method) =>
        method.Name.StartsWith("Add", StringComparison.Ordinal)
        && method.IsDefined(typeof(ExtensionAttribute), inherit: false)
        && method.GetParameters() is [{ ParameterType: var extended }, ..]
        && extended == typeof(IServiceCollection);

    /// <summary>The `AddName` in backquotes of the paragraph that starts with <see cref="ParagraphStart"/>, sorted.</summary>
    private static string[] DocumentedNames()
    {
        string doc = File.ReadAllText(Repository.Combine("docs", "architecture.md")).ReplaceLineEndings("\n");
        int start = doc.IndexOf(ParagraphStart, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/architecture.md has no paragraph starting \"{ParagraphStart}\"");
        int end = doc.IndexOf("\n\n", start, StringComparison.Ordinal);
        string paragraph = end < 0 ? doc[start..] : doc[start..end];
        return [.. RegistrationName().Matches(paragraph).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal)];
    }

    // `AddX` (the placeholder) is not a name: a real one has a lower-case letter after its first capital.
    [GeneratedRegex(@"`(Add[A-Z][a-z]\w*)`")]
    private static partial Regex RegistrationName();
}
