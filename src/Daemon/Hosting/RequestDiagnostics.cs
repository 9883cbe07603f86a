namespace Provisioning.Daemon.Hosting;

/// <summary>
/// ASP.NET Core's request diagnostics stay off whatever the configuration says. At Information they log each
/// request's URL, and a WebSocket upgrade's URL carries the caller's bearer token (`?token=`, as Thunder
/// takes it); at any level they start an Activity and a log scope for every request, which nothing here reads
/// (bench/README.md, "Footprint"). Their other messages are rare start-up ones (a failed pipeline build, which
/// the host logs again as "Hosting failed to start"; hosting-startup assemblies and HTTP_PORTS, unused here).
/// </summary>
internal static class RequestDiagnostics
{
    public const string Category = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// After the configuration's rules: one rule at None for the exact category per provider named in any rule, and
    /// one for all providers. .NET takes the matching rule with the longest category, the last of equals: the exact
    /// category beats every shorter pattern, and a wildcard pattern at least as long that matches it ("...Diagnostics*")
    /// gets a None copy of itself, added last (such a pattern matches nothing but this category and its children).
    /// </summary>
    public static IServiceCollection KeepRequestDiagnosticsOff(this IServiceCollection services) =>
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            List<LoggerFilterRule> rules = [.. options.Rules];
            foreach (LoggerFilterRule rule in rules.Where(rule => rule.CategoryName is { } pattern && pattern.Length >= Category.Length && pattern.Contains('*', StringComparison.Ordinal) && Matches(pattern)))
            {
                options.Rules.Add(new LoggerFilterRule(rule.ProviderName, rule.CategoryName, LogLevel.None, filter: null));
            }

            foreach (string? provider in rules.Select(rule => rule.ProviderName).Append(null).Distinct())
            {
                options.Rules.Add(new LoggerFilterRule(provider, Category, LogLevel.None, filter: null));
            }
        });

    // As .NET matches a pattern with one '*': the category starts with what precedes it and ends with what follows.
    private static bool Matches(string pattern)
    {
        int star = pattern.IndexOf('*', StringComparison.Ordinal);
        return Category.StartsWith(pattern[..star], StringComparison.OrdinalIgnoreCase)
            && Category.EndsWith(pattern[(star + 1)..], StringComparison.OrdinalIgnoreCase);
    }
}
