namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The "Authorization" section: the one policy both APIs apply (docs/configuration.md, README "Security").
/// Defaults a device can ship: reads open to every local caller, everything else root only.
/// </summary>
internal sealed class AuthorizationOptions
{
    public const string SectionName = "Authorization";

    /// <summary>The label whose rule applies to every label.</summary>
    public const string AnyLabel = "*";

    /// <summary>id, state, events, exists, Controller status; gRPC GetId, GetState, WatchState and health.</summary>
    public CallerRule Read { get; set; } = new() { Everyone = true };

    /// <summary>provision and index; gRPC Provision and SetIndex.</summary>
    public CallerRule Provision { get; set; } = new();

    /// <summary>Controller.1.activate and Controller.1.deactivate.</summary>
    public CallerRule Controller { get; set; } = new();

    /// <summary>gRPC GetKey, per label; the label "*" applies to every label.</summary>
    public Dictionary<string, CallerRule> Keys { get; set; } = new(StringComparer.Ordinal);
}
