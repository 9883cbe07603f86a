using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Grpc;

/// <summary>The callers a rule allows: a match on the uid or on the primary gid of the peer is enough.</summary>
internal sealed class CallerRule
{
    public List<uint> Uids { get; set; } = [];

    public List<uint> Gids { get; set; } = [];

    public bool Allows(PeerCredentials caller) =>
        caller.Uid == 0 || Uids.Contains(caller.Uid) || Gids.Contains(caller.Gid);
}
