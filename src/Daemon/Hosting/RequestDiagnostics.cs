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
    /// After the configuration's rules: one rule at None for the exact category per provider named in any rule,
    /// and one for all providers. The exact category is the most specific match, and the last of equals wins.
    /// </summary>
    public static IServiceCollection KeepRequestDiagnosticsOff(this IServiceCollection services) =>
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            foreach (string? provider in options.Rules.Select(rule => rule.ProviderName).Append(null).Distinct().ToList())
            {
                options.Rules.Add(new LoggerFilterRule(provider, Category, LogLevel.None, filter: null));
            }
        });
}
