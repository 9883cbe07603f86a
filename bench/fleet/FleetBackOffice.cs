using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.BackOfficeSimulator;

namespace Provisioning.Bench.Fleet;

/// <summary>
/// The back office of the fleet: the back-office simulator's own protocol endpoints (docs/backoffice-protocol.md,
/// the same code its Kestrel server runs) served in memory by TestServer, behind a capacity limit that
/// answers 429 with Retry-After when more requests arrive in one second than it serves, and an outage.
/// In memory rather than over loopback sockets only because 10,000 devices on a virtual clock cannot go
/// through real sockets: every request still goes through HttpClient, the HTTP pipeline and the wire format.
/// </summary>
internal sealed class FleetBackOffice : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Arrival> _arrivals = [];
    private readonly Dictionary<string, long> _notBefore = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastArrival = new(StringComparer.Ordinal);
    private readonly BackOfficeCapacity _capacity;
    private readonly TimeProvider _time;
    private readonly long _downUntil;
    private WebApplication? _app;
    private long _second = long.MinValue;
    private int _servedThisSecond;
    private int _earlyAttempts;
    private long _shortestGap = long.MaxValue;
    private long _nextSlot;

    private FleetBackOffice(BackOfficeCapacity capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
        _downUntil = time.GetUtcNow().UtcTicks + capacity.Outage.Ticks;
    }

    /// <summary>The in-memory connection to the back office; every device's HttpClient sends through it.</summary>
    public HttpMessageHandler Handler { get; private set; } = null!;

    /// <summary>When the outage ends (the start of the run when there is none).</summary>
    public DateTimeOffset UpAt => new(_downUntil, TimeSpan.Zero);

    /// <summary>Requests sent earlier than the Retry-After the same device was last given allowed.</summary>
    public int EarlyAttempts
    {
        get
        {
            lock (_gate)
            {
                return _earlyAttempts;
            }
        }
    }

    /// <summary>The shortest time between two requests of the same device; TimeSpan.MaxValue when none sent two.</summary>
    public TimeSpan ShortestGap
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromTicks(_shortestGap);
            }
        }
    }

    public static async Task<FleetBackOffice> StartAsync(BackOfficeCapacity capacity, TimeProvider time)
    {
        var backOffice = new FleetBackOffice(capacity, time);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "FleetBench" });
        builder.WebHost.UseTestServer();
        builder.Services.AddRoutingCore();
        var options = new SimulatorOptions { TimeProvider = time, RequestLogCapacity = 1, MaxDevices = 10_000_000 };
        var state = new SimulatorState(options, NullLogger.Instance);
        WebApplication app = builder.Build();
        app.Use(backOffice.LimitAsync);
        app.UseJsonStatusBodies();
        app.MapProtocol(state);
        await app.StartAsync();
        backOffice._app = app;
        backOffice.Handler = app.GetTestServer().CreateHandler();
        return backOffice;
    }

    /// <summary>True while the back office refuses connections (an outage without answers).</summary>
    public bool RefusesNow => _capacity.OutageRefuses && _time.GetUtcNow().UtcTicks < _downUntil;

    /// <summary>A connection attempt refused during the outage, counted like any other arrival.</summary>
    public void RecordRefused(string deviceId) => Admit(deviceId, _time.GetUtcNow().UtcTicks, ArrivalOutcome.Down);

    public Arrival[] Arrivals()
    {
        lock (_gate)
        {
            return [.. _arrivals];
        }
    }

    public async ValueTask DisposeAsync()
    {
        Handler.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task LimitAsync(HttpContext context, RequestDelegate next)
    {
        long now = _time.GetUtcNow().UtcTicks;
        string device = DeviceOf(context.Request.Path.Value ?? string.Empty);
        bool down = now < _downUntil;
        ArrivalOutcome outcome = down ? ArrivalOutcome.Down : ArrivalOutcome.Served;
        lock (_gate)
        {
            if (!down)
            {
                long second = now / TimeSpan.TicksPerSecond;
                if (second != _second)
                {
                    _second = second;
                    _servedThisSecond = 0;
                }

                outcome = _servedThisSecond < _capacity.RequestsPerSecond ? ArrivalOutcome.Served : ArrivalOutcome.Rejected;
                if (outcome == ArrivalOutcome.Served)
                {
                    _servedThisSecond++;
                }
            }
        }

        Admit(device, now, outcome);
        if (outcome == ArrivalOutcome.Served)
        {
            await next(context);
            return;
        }

        int status = outcome == ArrivalOutcome.Rejected ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
        int? retryAfter = _capacity.RetryAfterSeconds > 0 ? _capacity.RetryAfterSeconds : null;
        if (_capacity.Paced && outcome == ArrivalOutcome.Rejected)
        {
            retryAfter = Reserve(now);
        }

        RetryAfterHeader.Apply(context, retryAfter, RetryAfterFormat.Seconds, _time);
        if (retryAfter is { } seconds)
        {
            lock (_gate)
            {
                _notBefore[device] = now + (seconds * TimeSpan.TicksPerSecond);
            }
        }

        await Responses.WriteErrorAsync(context, status, Responses.ErrorCodeFor(status), "The back office is over capacity; retry later.");
    }

    /// <summary>The delta-seconds until the next free slot of the queue, at least RetryAfterSeconds; reserves it.</summary>
    private int Reserve(long now)
    {
        lock (_gate)
        {
            long earliest = now + (Math.Max(1, _capacity.RetryAfterSeconds) * TimeSpan.TicksPerSecond);
            _nextSlot = Math.Max(_nextSlot, earliest);
            long slot = _nextSlot;
            _nextSlot += TimeSpan.TicksPerSecond / _capacity.RequestsPerSecond;
            return (int)Math.Ceiling((double)(slot - now) / TimeSpan.TicksPerSecond);
        }
    }

    private void Admit(string device, long now, ArrivalOutcome outcome)
    {
        lock (_gate)
        {
            _arrivals.Add(new Arrival(now, outcome));
            if (_lastArrival.TryGetValue(device, out long previous))
            {
                _shortestGap = Math.Min(_shortestGap, now - previous);
            }

            _lastArrival[device] = now;
            if (_notBefore.Remove(device, out long notBefore) && now < notBefore)
            {
                _earlyAttempts++;
            }
        }
    }

    // "/v1/devices/{id}/provision" → id; a poll is keyed by its path (the fleet's back office never answers 202).
    private static string DeviceOf(string path)
    {
        const string prefix = "/v1/devices/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return path;
        }

        int end = path.IndexOf('/', prefix.Length);
        return end < 0 ? path[prefix.Length..] : path[prefix.Length..end];
    }
}
