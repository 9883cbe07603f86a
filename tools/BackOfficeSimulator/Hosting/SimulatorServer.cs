using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// The back-office simulator: a real Kestrel server implementing the server side of
/// docs/backoffice-protocol.md, with a fault plan, a device registry and a request log.
/// </summary>
internal sealed class SimulatorServer : IAsyncDisposable
{
    public const int MaxAdminBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly SimulatorState _state;
    private readonly X509Certificate2? _ownedCertificate;
    private int _disposed;

    private SimulatorServer(WebApplication app, SimulatorState state, Uri baseAddress, X509Certificate2? ownedCertificate)
    {
        _app = app;
        _state = state;
        _ownedCertificate = ownedCertificate;
        BaseAddress = baseAddress;
    }

    /// <summary>The actual bound address (the first, when several URLs were given), ending in '/'.</summary>
    public Uri BaseAddress { get; }

    public SimulatorOptions Options => _state.Options;

    public DeviceRegistry Devices => _state.Devices;

    public FaultPlan Faults => _state.Faults;

    /// <summary>A snapshot of the request log, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Log.Snapshot();

    /// <summary>Validates the options, binds <see cref="SimulatorOptions.Url"/> and starts serving.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message names every bad setting.</exception>
    public static async Task<SimulatorServer> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        SimulatorOptionsChecks.ThrowIfInvalid(options);

        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
        });
        X509Certificate2? certificate = options.ResolveServerCertificate();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxAdminBodyBytes;
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ClientCertificateMode = options.ClientCertificates;
                    https.AllowAnyClientCertificate();
                });
            }
        });
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.UseUrls(options.Url);
        builder.Services.AddRoutingCore();

        ILogger logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Provisioning.BackOfficeSimulator");
        var state = new SimulatorState(options, logger);
        Seed(state);

        WebApplication app = builder.Build();
        app.UseJsonStatusBodies();
        app.MapProtocol(state);
        app.MapAdmin(state);

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            DisposeIfLoaded(options, certificate);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        logger.Listening(baseAddress);
        return new SimulatorServer(app, state, baseAddress, options.ServerCertificate is null ? certificate : null);
    }

    /// <summary>Completes when the request log satisfies <paramref name="predicate"/>; checked now and on every change.</summary>
    public Task<IReadOnlyList<RecordedRequest>> WaitForRequestsAsync(Func<IReadOnlyList<RecordedRequest>, bool> predicate, CancellationToken cancellationToken = default) =>
        _state.Log.WaitAsync(predicate, cancellationToken);

    public void ClearRequests() => _state.Log.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A short grace: requests parked in injected delays are cut off rather than waited for.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(grace.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            _ownedCertificate?.Dispose();
            _state.Logger.Stopped();
        }
    }

    private static void DisposeIfLoaded(SimulatorOptions options, X509Certificate2? certificate)
    {
        if (options.ServerCertificate is null)
        {
            certificate?.Dispose();
        }
    }

    private static void Seed(SimulatorState state)
    {
        foreach (DeviceSeed seed in state.Options.Devices)
        {
            SimulatedDevice device = state.Devices.Add(seed.Id, [.. seed.Labels]);
            if (seed.State != DeviceState.Active)
            {
                state.Devices.SetState(device.Id, seed.State);
            }
        }

        state.Faults.Add(state.Options.Faults);
    }
}
