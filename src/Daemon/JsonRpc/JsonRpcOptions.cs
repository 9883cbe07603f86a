using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>The "JsonRpc" configuration section: the Thunder JSON-RPC bridge.</summary>
internal sealed class JsonRpcOptions
{
    public const string SectionName = "JsonRpc";

    /// <summary>The listener, e.g. http://127.0.0.1:9998; empty disables the bridge. Port 0 picks a free port.</summary>
    public string? Url { get; set; } = "http://127.0.0.1:9998";

    /// <summary>
    /// A Unix socket the bridge also listens on (HTTP/1.1 and WebSocket, as on Url), where the caller is identified by
    /// SO_PEERCRED; empty: none. The file gets mode 0666: who may call what is the Authorization policy's job, and the
    /// directory's mode decides who can reach the file at all.
    /// </summary>
    [StringLength(107, ErrorMessage = "must be at most 107 characters (the Unix socket path limit).")]
    public string? SocketPath { get; set; }

    /// <summary>Allows a listener address that is not loopback; off by default, as in Thunder's default config.</summary>
    public bool AllowNonLoopback { get; set; }

    /// <summary>
    /// Bearer tokens (Thunder SecurityAgent compatibility): when any is set, a request without one is refused (401/403);
    /// a valid one also grants what the Authorization rules with Tokens=true allow.
    /// </summary>
    public string[] Tokens { get; set; } = [];

    [Range(64, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    [Range(2, 64)]
    public int MaxDepth { get; set; } = 32;

    /// <summary>
    /// Open connections on the bridge's listeners. Each WebSocket holds about 22 KB of the heap: the default and
    /// <see cref="MaxRegistrations"/> fit the unit's GC heap limit together (README, "Memory").
    /// </summary>
    [Range(1, 65536)]
    public int MaxConnections { get; set; } = 512;

    [Range(1, 4096)]
    public int MaxRegistrationsPerConnection { get; set; } = 64;

    /// <summary>Event registrations of all WebSockets together; each holds its id (at most <see cref="JsonRpcDispatcher.MaxEventIdLength"/> characters).</summary>
    [Range(1, 1_048_576)]
    public int MaxRegistrations { get; set; } = 2048;

    /// <summary>
    /// The share of <see cref="MaxRegistrations"/> the WebSockets of one uid other than root may hold together, so
    /// that one program cannot take them all and leave the others without events. Its first registration identifies
    /// a WebSocket's caller (the TCP lookup, about a millisecond).
    /// </summary>
    [Range(1, 1_048_576)]
    public int MaxRegistrationsPerUid { get; set; } = 512;

    /// <summary>Frames (responses and notifications) waiting for one WebSocket; overflow closes it with 1008.</summary>
    [Range(1, 65536)]
    public int OutgoingQueueCapacity { get; set; } = 256;

    /// <summary>The TCP listener is on (JsonRpc:Url is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The Unix socket listener is on (JsonRpc:SocketPath is set).</summary>
    public bool SocketEnabled => !string.IsNullOrWhiteSpace(SocketPath);
}
