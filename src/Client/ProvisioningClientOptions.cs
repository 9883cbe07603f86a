namespace Provisioning.Client;

/// <summary>Where and how <see cref="ProvisioningClient"/> reaches provisioningd.</summary>
public sealed class ProvisioningClientOptions
{
    /// <summary>The daemon's default socket, <c>/run/provisioning/provisioning.sock</c>.</summary>
    public const string DefaultSocketPath = "/run/provisioning/provisioning.sock";

    /// <summary>The Unix domain socket the daemon listens on (its <c>Grpc:SocketPath</c>).</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>The first wait before <see cref="ProvisioningClient.WatchAsync"/> reconnects; doubled per failed try.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two reconnection tries of <see cref="ProvisioningClient.WatchAsync"/>.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock the reconnection waits use; tests may replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
