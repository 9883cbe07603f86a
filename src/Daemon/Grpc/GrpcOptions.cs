using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.Grpc;

/// <summary>The "Grpc" configuration section: the Unix socket listener (who may do what: the Authorization section).</summary>
internal sealed class GrpcOptions
{
    public const string SectionName = "Grpc";

    public const string DefaultSocketPath = "/run/provisioning/provisioning.sock";

    public const string DefaultSocketGroup = "provisioning";

    /// <summary>The socket file the API listens on; its directory is created when missing.</summary>
    [Required(ErrorMessage = "must be set.")]
    [StringLength(107, ErrorMessage = "must be at most 107 characters (the Unix socket path limit).")]
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>
    /// The group given to the socket file (a name or a numeric gid). Unset: "provisioning" when that
    /// group exists. Empty: the file keeps the daemon's group.
    /// </summary>
    public string? SocketGroup { get; set; }

    /// <summary>How many changes a WatchState stream may fall behind before it is ended.</summary>
    [Range(16, 65536, ErrorMessage = "must be between 16 and 65536.")]
    public int WatchCapacity { get; set; } = 1024;

    /// <summary>
    /// Open connections the socket accepts; more are closed at once (each costs memory and a descriptor). With
    /// <see cref="MaxStreamsPerConnection"/> it bounds the calls in flight (a WatchState stream holds about 13 KB of
    /// the heap): the defaults fit the unit's GC heap limit together with the bridge's (README, "Memory").
    /// </summary>
    [Range(1, 65536, ErrorMessage = "must be between 1 and 65536.")]
    public int MaxConnections { get; set; } = 32;

    /// <summary>
    /// Open connections one uid other than root may hold of <see cref="MaxConnections"/>; its next ones are closed at
    /// once, so that one program cannot lock the others out. A client opens one connection per channel.
    /// </summary>
    [Range(1, 65536, ErrorMessage = "must be between 1 and 65536.")]
    public int MaxConnectionsPerUid { get; set; } = 8;

    /// <summary>Calls (HTTP/2 streams) one connection may have open at once; a client queues or opens another connection beyond it.</summary>
    [Range(1, 1000, ErrorMessage = "must be between 1 and 1000.")]
    public int MaxStreamsPerConnection { get; set; } = 16;
}
