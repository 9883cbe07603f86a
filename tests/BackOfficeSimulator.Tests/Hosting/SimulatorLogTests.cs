using System.Reflection;

namespace Provisioning.BackOfficeSimulator.Tests.Hosting;

public sealed class SimulatorLogTests
{
    [Fact]
    public void EventIds_AreUniqueAndInTheSimulatorRange()
    {
        int[] ids = [.. typeof(SimulatorLog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)];

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 9000, 9199));
    }
}
