using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.State;

namespace Provisioning.Bench.Fleet;

/// <summary>
/// One device of the fleet: the daemon's real engine, run planner, back-office client (with its Polly
/// pipeline and circuit breaker) and state store, built as EngineServiceCollectionExtensions.CreateEngine
/// builds them, on the device's view of the fleet clock.
/// </summary>
internal sealed class FleetDevice : IDisposable
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly HttpClient _http;

    /// <param name="seeds">Draws the seeds of the device's random sources (jitter and boot delay), so a run can be repeated.</param>
    public FleetDevice(int index, FleetStrategy strategy, FleetClock clock, FleetBackOffice backOffice, string stateDirectory, Random seeds, Action<FleetDevice> onTimerFired)
    {
        Id = ProvisionIdOf(index);
        Clock = new DeviceClock(clock, () => onTimerFired(this));

        // Seeds drawn from one generator: consecutive seeds would give correlated first draws.
        var random = new Random(seeds.Next());
        var plannerRandom = new Random(seeds.Next());
        BackOfficeOptions options = strategy.BackOffice(new Uri("http://backoffice.fleet/"));
        _http = new HttpClient(new DeviceLink(backOffice, Id)) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new BackOfficeClient(
            _http,
            Options.Create(options),
            new BackOfficePipeline(options, Clock, NullLogger.Instance, random.NextDouble),
            Clock,
            NullLogger<BackOfficeClient>.Instance);
        var planner = new RunPlanner(strategy.Engine(), strategy.Boot(), clock.Now.AddDays(-1), plannerRandom.NextDouble);
        var store = new StateStore(
            Options.Create(new StateOptions { Directory = stateDirectory, AllowPlaintextKeys = true }),
            new KeyMaterialProtector(NullLogger<KeyMaterialProtector>.Instance, KeyEncryptionKeys.None),
            Clock,
            NullLogger<StateStore>.Instance);
        Engine = new ProvisioningEngine(
            () => new EngineParts(client, planner),
            store,
            new DeviceIdentity(Options.Create(new DeviceOptions { Id = Id })),
            Clock,
            NullLogger<ProvisioningEngine>.Instance);
    }

    public string Id { get; }

    public DeviceClock Clock { get; }

    public ProvisioningEngine Engine { get; }

    /// <summary>When the back office issued the stored provisioning; null while the device has none.</summary>
    public DateTimeOffset? ProvisionedAt { get; set; }

    /// <summary>
    /// True when the device waits for the clock: provisioned, or its next attempt (or run) is announced and
    /// the timer that starts it is armed. False while a request, an answer or a state write is on its way.
    /// </summary>
    public bool IsSettled(DateTimeOffset now, TimeSpan tolerance)
    {
        EngineState state = Engine.Current;
        if (state is { Phase: EnginePhase.Idle, IsProvisioned: true })
        {
            return true;
        }

        return state.Phase != EnginePhase.Running
            && state.NextAttemptAt is { } next
            && next > now
            && Clock.HasTimerDue(next, tolerance);
    }

    public void Dispose()
    {
        Engine.Dispose();
        _http.Dispose();
    }

    /// <summary>WPE and 13 base62 digits of the index: a valid, distinct provision ID per device.</summary>
    public static string ProvisionIdOf(int index)
    {
        Span<char> digits = stackalloc char[13];
        long value = index;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = Base62[(int)(value % 62)];
            value /= 62;
        }

        return "WPE" + new string(digits);
    }
}
