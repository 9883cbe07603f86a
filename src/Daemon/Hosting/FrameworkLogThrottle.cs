using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.Hosting;

/// <summary>
/// The daemon's logger factory: the messages of every category that is not the daemon's own (Kestrel, gRPC, the
/// host, Polly) go through a <see cref="LogThrottle"/> per category and event, as the daemon's own caller-caused
/// messages do. Callers drive some of them as often as they like: an HTTP/2 caller that resets streams faster than
/// their answers drain makes Kestrel log a critical line for each connection it aborts, hundreds of thousands a
/// minute, past any level filter and through journald's rate limit, which then drops the daemon's own messages too.
/// The count of what was left out is logged under this class's category (event 5300).
/// </summary>
internal sealed class FrameworkLogThrottle(ILoggerFactory inner, TimeProvider? time = null) : ILoggerFactory
{
    private const string OwnCategories = "Provisioning.";

    private readonly ConcurrentDictionary<(string Category, int EventId), LogThrottle> _throttles = new();
    private readonly ILogger _leftOutLogger = inner.CreateLogger(typeof(FrameworkLogThrottle).FullName!);

    public ILogger CreateLogger(string categoryName)
    {
        ILogger logger = inner.CreateLogger(categoryName);
        return categoryName.StartsWith(OwnCategories, StringComparison.Ordinal) ? logger : new ThrottledLogger(this, categoryName, logger);
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private bool Admit(string category, EventId eventId) =>
        _throttles.GetOrAdd((category, eventId.Id), static (key, time) => new LogThrottle(key.EventId, time), time).Admit(_leftOutLogger);

    private sealed class ThrottledLogger(FrameworkLogThrottle factory, string category, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (inner.IsEnabled(logLevel) && factory.Admit(category, eventId))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}

internal static class FrameworkLogThrottleExtensions
{
    /// <summary>Replaces the host's logger factory with one that <see cref="FrameworkLogThrottle"/> wraps.</summary>
    public static IServiceCollection ThrottleFrameworkLogs(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new FrameworkLogThrottle(new LoggerFactory(
            provider.GetServices<ILoggerProvider>(),
            provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            provider.GetService<IOptions<LoggerFactoryOptions>>(),
            provider.GetService<IExternalScopeProvider>()))));
}
