namespace Provisioning.Daemon.Common.Native;

/// <summary>The kernel's word on who is at the other end of a Unix socket connection (SO_PEERCRED).</summary>
internal readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid);
