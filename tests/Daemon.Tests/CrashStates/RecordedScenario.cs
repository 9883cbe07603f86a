namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// One traced state write of the real daemon: the folder before (all durable), the logical operations, the
/// folder after, and the provisioning a caller saw before (<see cref="Old"/>, null: none) and after.
/// </summary>
internal sealed record RecordedScenario(
    string Name,
    string Root,
    string DeviceId,
    IReadOnlyList<string> Arguments,
    FileTree Initial,
    IReadOnlyList<FsOp> Operations,
    FileTree Final,
    ProvisioningView? Old,
    ProvisioningView New,
    UnixFileMode Umask)
{
    /// <summary>The daemon's state directory under the root.</summary>
    public const string StateDirectoryName = "state";
}
