using Provisioning.Client;

namespace Provisioning.Cli;

/// <summary>What a command needs: where to write, in which format, and a client for the chosen socket.</summary>
internal sealed class CommandContext(TextWriter output, TextWriter error, bool json, string socketPath, CancellationToken cancellationToken)
    : IDisposable
{
    private ProvisioningClient? _client;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public bool Json { get; } = json;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public ProvisioningClient Client => _client ??= new ProvisioningClient(new ProvisioningClientOptions { SocketPath = socketPath });

    public void Dispose() => _client?.Dispose();
}
