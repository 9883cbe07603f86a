using System.Reflection;
using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeLogTests
{
    [Fact]
    public void EventIds_AreUniqueAndInTheBackOfficeRange()
    {
        int[] ids = [.. typeof(BackOfficeLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)];

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 1400, 1599));
    }
}
