using Provisioning.Daemon.Grpc;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>Grpc:SocketGroup is checked with the other settings, before anything starts (exit 78), not when the socket is bound.</summary>
public sealed class GrpcOptionsRulesTests
{
    [Fact]
    public void SocketGroup_NameNotInTheGroupFile_IsAConfigurationError()
    {
        var result = new GrpcOptionsRules().Validate(null, new GrpcOptions { SocketGroup = "no-such-group-" + Guid.NewGuid().ToString("N")[..8] });

        Assert.True(result.Failed);
        Assert.Contains("does not exist", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root")] // in every /etc/group
    [InlineData("65534")] // a numeric gid is used as given
    [InlineData("")] // no group: the socket keeps the daemon's
    public void SocketGroup_ExistingNameNumericGidOrEmpty_IsFine(string group) =>
        Assert.True(new GrpcOptionsRules().Validate(null, new GrpcOptions { SocketGroup = group }).Succeeded);
}
