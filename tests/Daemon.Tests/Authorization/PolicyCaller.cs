namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>A class of caller the policy tells apart: a uid and a primary gid a process runs under (setpriv).</summary>
public sealed record PolicyCaller(string Name, uint Uid, uint Gid)
{
    public static readonly PolicyCaller Root = new("root", 0, 0);

    /// <summary>Named by uid in every privileged rule of <see cref="PolicyMatrixTests"/>.</summary>
    public static readonly PolicyCaller NamedUid = new("named-uid", 4242, 4242);

    /// <summary>Named by gid only: the kernel tells the gid on Unix sockets, not on TCP.</summary>
    public static readonly PolicyCaller NamedGid = new("named-gid", 5000, 4343);

    /// <summary>Named nowhere (nobody/nogroup).</summary>
    public static readonly PolicyCaller Other = new("other", 65534, 65534);

    public bool IsRoot => Uid == 0;

    public override string ToString() => Name;
}
