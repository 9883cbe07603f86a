namespace Provisioning.BackOfficeSimulator.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Placeholder_IsReplacedBySimulatorTests() => Assert.True(typeof(Program).Assembly.GetName().Name!.Length > 0);
}
