namespace Provisioning.Daemon.Grpc;

/// <summary>
/// The "Grpc:Authorization" section. Reads (GetId, GetState, WatchState, health) are open to anyone
/// who can open the socket; root (uid 0) is always allowed everything else.
/// </summary>
internal sealed class GrpcAuthorizationOptions
{
    /// <summary>Who may call Provision and SetIndex.</summary>
    public CallerRule Provision { get; set; } = new();

    /// <summary>Who may read each label's key; the label "*" applies to every label.</summary>
    public Dictionary<string, CallerRule> Keys { get; set; } = new(StringComparer.Ordinal);

    public const string AnyLabel = "*";
}
