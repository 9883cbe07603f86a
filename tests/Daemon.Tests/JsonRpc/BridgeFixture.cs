namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>One daemon shared by the tests of a class that do not change its global state.</summary>
public sealed class BridgeFixture : IAsyncLifetime
{
    private BridgeHost? _host;

    internal BridgeHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _host = await BridgeHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
