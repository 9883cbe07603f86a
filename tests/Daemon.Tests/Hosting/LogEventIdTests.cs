using System.Reflection;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Tests.Hosting;

public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessages_InTheDaemon_HaveExplicitUniqueEventIds()
    {
        var messages = typeof(ProvisioningEngine).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.Name}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.True(messages.Count > 20, $"only {messages.Count} [LoggerMessage] methods found");
        Assert.All(messages, m => Assert.True(m.Attribute!.EventId > 0, $"{m.Method} has no explicit event id"));
        var duplicates = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(duplicates.Count == 0, "event ids used twice: " + string.Join("; ", duplicates));
    }
}
