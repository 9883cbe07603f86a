namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The callers one operation allows. Root (uid 0) always; then any one match is enough: everyone, the caller's uid,
/// its gid (known on Unix sockets only), or a valid bearer token when <see cref="Tokens"/> is set.
/// </summary>
internal sealed class CallerRule
{
    /// <summary>The most uids, and the most gids, one rule may name (checked by AuthorizationOptionsRules).</summary>
    public const int MaxIds = 1024;

    /// <summary>Every caller, an unidentified one included.</summary>
    public bool Everyone { get; set; }

    public List<uint> Uids { get; set; } = [];

    /// <summary>Matched against the caller's primary gid, which the kernel tells on Unix sockets only.</summary>
    public List<uint> Gids { get; set; } = [];

    /// <summary>A JSON-RPC caller that presented one of JsonRpc:Tokens is allowed, whoever it is.</summary>
    public bool Tokens { get; set; }

    public bool Allows(Caller caller) =>
        Everyone
        || caller.Uid == 0
        || (caller.Uid is { } uid && Uids.Contains(uid))
        || (caller.Gid is { } gid && Gids.Contains(gid))
        || (Tokens && caller.HasValidToken);
}
