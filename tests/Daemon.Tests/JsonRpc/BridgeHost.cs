using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioning.Daemon.Hosting;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// The real host (DaemonHost) with the bridge on 127.0.0.1:0, a temporary state directory and no back office,
/// plus raw HTTP and WebSocket helpers that return the exact bytes.
/// </summary>
internal sealed class BridgeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    public const string DeviceId = "WPE00000uCfrLF45";

    private readonly string _stateDirectory;

    private BridgeHost(WebApplication app, Uri baseAddress, string stateDirectory)
    {
        _app = app;
        _stateDirectory = stateDirectory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<BridgeHost> StartAsync(params string[] settings)
    {
        string stateDirectory = Path.Combine(Path.GetTempPath(), "provisioningd-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--JsonRpc:Url=http://127.0.0.1:0",
            "--State:Directory=" + stateDirectory,
            "--Grpc:SocketPath=" + Path.Combine(stateDirectory, "p.sock"),
            "--Device:Id=" + DeviceId,
            "--Boot:MaxDelay=00:00:00",
            .. settings.Select(s => "--" + s),
        ];
        WebApplicationBuilder builder = DaemonHost.CreateBuilder(args);
        builder.Logging.ClearProviders();
        WebApplication app = DaemonHost.Build(builder);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        return new BridgeHost(app, new Uri(address + "/"), stateDirectory);
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
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }
}
