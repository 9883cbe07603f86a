using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

public sealed class DesignatorTests
{
    [Theory]
    [InlineData("Provisioning.1.state", "Provisioning", 1u, "state", null)]
    [InlineData("Provisioning.state", "Provisioning", null, "state", null)]
    [InlineData("1.state", "", 1u, "state", null)]
    [InlineData("state", "", null, "state", null)]
    [InlineData("Controller.1.status@Provisioning", "Controller", 1u, "status", "Provisioning")]
    [InlineData("status@Provisioning", "", null, "status", "Provisioning")]
    [InlineData("Provisioning.2.state@3", "Provisioning", 2u, "state", "3")]
    [InlineData("a.b.1.c", "a.b", 1u, "c", null)]
    [InlineData("Provisioning.x.state", "Provisioning.x", null, "state", null)]
    [InlineData("", "", null, "", null)]
    public void Parse_Forms_SplitIntoCallsignVersionNameIndex(string text, string callsign, uint? version, string name, string? index)
    {
        var designator = Designator.Parse(text);
        Assert.Equal(callsign, designator.Callsign);
        Assert.Equal(version, designator.Version);
        Assert.Equal(name, designator.Name);
        Assert.Equal(index, designator.Index);
    }

    [Theory]
    [InlineData("Provisioning.1.state", false)]
    [InlineData("Provisioning.state", false)]
    [InlineData("Provisioning.2.state", true)]
    [InlineData("Provisioning.0.state", true)]
    [InlineData("Provisioning.4294967296.state", true)]
    public void IsUnsupportedVersion_OnlyVersion1OrNoneIsSupported(string text, bool unsupported) =>
        Assert.Equal(unsupported, Designator.Parse(text).IsUnsupportedVersion);
}
