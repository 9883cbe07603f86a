namespace Provisioning.Daemon.Hosting;

/// <summary>
/// Every configuration key the daemon reads, as written in docs/configuration.md; `*` stands for any one
/// segment (a list index or a label). Tests keep this list, the options classes and the document equal.
/// </summary>
internal static class SettingKeys
{
    /// <summary>Sections read whole by the framework, where any key below is valid.</summary>
    public static readonly string[] OpenSections = ["Logging"];

    public static readonly string[] All =
    [
        "ConfigFile",
        "Authorization:Read:Everyone",
        "Authorization:Read:Uids:*",
        "Authorization:Read:Gids:*",
        "Authorization:Read:Tokens",
        "Authorization:Provision:Everyone",
        "Authorization:Provision:Uids:*",
        "Authorization:Provision:Gids:*",
        "Authorization:Provision:Tokens",
        "Authorization:Controller:Everyone",
        "Authorization:Controller:Uids:*",
        "Authorization:Controller:Gids:*",
        "Authorization:Controller:Tokens",
        "Authorization:Keys:*:Everyone",
        "Authorization:Keys:*:Uids:*",
        "Authorization:Keys:*:Gids:*",
        "Authorization:Keys:*:Tokens",
        "BackOffice:Url",
        "BackOffice:Model",
        "BackOffice:Firmware",
        "BackOffice:Labels:*",
        "BackOffice:TokenFile",
        "BackOffice:ClientCertificateFile",
        "BackOffice:ClientKeyFile",
        "BackOffice:ClientCertificatePasswordFile",
        "BackOffice:CaBundleFile",
        "BackOffice:AttemptTimeout",
        "BackOffice:RunBudget",
        "BackOffice:DefaultPollInterval",
        "BackOffice:MaxResponseBytes",
        "BackOffice:Retry:BaseDelay",
        "BackOffice:Retry:MaxDelay",
        "BackOffice:Retry:Jitter",
        "BackOffice:Retry:RetryAfter",
        "BackOffice:CircuitBreaker:FailureRatio",
        "BackOffice:CircuitBreaker:MinimumThroughput",
        "BackOffice:CircuitBreaker:SamplingDuration",
        "BackOffice:CircuitBreaker:BreakDuration",
        "Boot:MaxDelay",
        "Device:Id",
        "Device:IdFile",
        "Engine:RefreshFraction",
        "Engine:RerunDelay",
        "Grpc:SocketPath",
        "Grpc:SocketGroup",
        "Grpc:WatchCapacity",
        "Grpc:MaxConnections",
        "Grpc:MaxConnectionsPerUid",
        "Grpc:MaxStreamsPerConnection",
        "JsonRpc:Url",
        "JsonRpc:SocketPath",
        "JsonRpc:AllowNonLoopback",
        "JsonRpc:Tokens:*",
        "JsonRpc:MaxBodyBytes",
        "JsonRpc:MaxDepth",
        "JsonRpc:MaxConnections",
        "JsonRpc:MaxRegistrationsPerConnection",
        "JsonRpc:MaxRegistrations",
        "JsonRpc:MaxRegistrationsPerUid",
        "JsonRpc:OutgoingQueueCapacity",
        "State:Directory",
        "State:KeyEncryptionKeyFile",
        "State:PreviousKeyEncryptionKeyFile",
        "State:AllowPlaintextKeys",
    ];
}
