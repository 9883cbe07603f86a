namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>One booted systemd for every real-systemd test class: they run one after another against it.</summary>
[CollectionDefinition(Name)]
public sealed class RealSystemdDevice : ICollectionFixture<RealSystemdFixture>
{
    public const string Name = "real systemd";
}
