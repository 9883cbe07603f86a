using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// The shared <see cref="TestDaemon"/> without a back office (so no run ever starts by itself), with
/// captured logs, plus raw HTTP and WebSocket helpers that return the exact bytes.
/// </summary>
internal sealed class BridgeHost : IAsyncDisposable
{
    public const string DeviceId = "WPE00000uCfrLF45";

    private readonly TestDaemon _daemon;

    private BridgeHost(TestDaemon daemon)
    {
        _daemon = daemon;
        BaseAddress = daemon.JsonRpcBaseAddress;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _daemon.Services;

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <param name="settings">Extra configuration as "Key=value".</param>
    public static async Task<BridgeHost> StartAsync(params string[] settings)
    {
        TestDaemon daemon = await TestDaemon.StartAsync(options =>
        {
            options.WithSimulator = false;
            options.ProvisionAtBoot = false;
            options.Settings["Device:Id"] = DeviceId;
            foreach (string setting in settings)
            {
                int equals = setting.IndexOf('=', StringComparison.Ordinal);
                options.Settings[setting[..equals]] = setting[(equals + 1)..];
            }

            options.ConfigureServices = services => services.AddFakeLogging();
        });
        return new BridgeHost(daemon);
    }

    public async Task<(int Status, string Body)> PostAsync(string body, string path = "jsonrpc", string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using HttpResponseMessage response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Uri WebSocketUri(string path = "jsonrpc", string? query = null) =>
        new UriBuilder(BaseAddress) { Scheme = "ws", Path = path, Query = query ?? string.Empty }.Uri;

    public async Task<ClientWebSocket> ConnectAsync(string path = "jsonrpc", string? subprotocol = "notification", string? query = null)
    {
        var socket = new ClientWebSocket();
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(WebSocketUri(path, query), timeout.Token);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _daemon.DisposeAsync();
    }
}
