using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.Engine;

/// <summary>
/// The engine alone: its loop, a real state store in a temporary folder, a fake clock, and the back office
/// played by <see cref="ScriptedRuns"/>. Nothing else of the daemon starts, so a test runs in milliseconds.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset BuildDate = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();
    private bool _started;

    public EngineHarness(DateTimeOffset now, TimeSpan? bootDelay = null, TimeSpan? rerunDelay = null, double random = 0.5)
    {
        Time = new FakeTimeProvider(now);
        Options = new EngineOptions { RerunDelay = rerunDelay ?? TimeSpan.FromMinutes(15) };
        var boot = new BootOptions { MaxDelay = bootDelay ?? TimeSpan.FromMinutes(2) };
        Planner = new RunPlanner(Options, boot, BuildDate, () => random);
        Engine = new ProvisioningEngine(
            () => new EngineParts(BackOffice, Planner),
            StoreSamples.CreateStore(StateDirectory, Logger),
            new DeviceIdentity(Microsoft.Extensions.Options.Options.Create(new DeviceOptions { Id = StoreSamples.DeviceId })),
            Time,
            new FakeLogger<ProvisioningEngine>(Logger.Collector));
    }

    public FakeTimeProvider Time { get; }

    public FakeLogger Logger { get; } = new();

    public EngineOptions Options { get; }

    public RunPlanner Planner { get; }

    public ScriptedRuns BackOffice { get; } = new();

    public ProvisioningEngine Engine { get; }

    public string StateDirectory => _temp.Combine("state");

    /// <summary>Stores a provisioning as an earlier run of the daemon would have.</summary>
    public void Store(ProvisioningDocument document) =>
        StoreSamples.CreateStore(StateDirectory).Save(new StoredState(document, StoredState.Empty.Indexes, 200), StoreSamples.DeviceId);

    public async Task<EngineHarness> StartAsync()
    {
        await Engine.StartAsync(CancellationToken.None);
        _started = true;
        return this;
    }

    /// <summary>Moves the clock and lets the engine's loop handle what fell due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Engine.PingAsync();
    }

    /// <summary>The latest published state if it satisfies <paramref name="predicate"/>, else the next one that does.</summary>
    public async Task<EngineState> UntilAsync(Func<EngineState, bool> predicate)
    {
        using StateSubscription subscription = Engine.Subscribe();
        if (Engine.Current is { } current && predicate(current))
        {
            return current;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (EngineState state in subscription.Reader.ReadAllAsync(timeout.Token))
        {
            if (predicate(state))
            {
                return state;
            }
        }

        throw new InvalidOperationException("the engine stopped first");
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await Engine.StopAsync(CancellationToken.None);
        }

        Engine.Dispose();
        _temp.Dispose();
    }

    /// <summary>A valid provisioning of the device issued at <paramref name="issued"/>.</summary>
    public static ProvisioningDocument Document(DateTimeOffset issued, DateTimeOffset? expires, params string[] labels) => new(
        StoreSamples.DeviceId,
        issued,
        expires,
        [.. (labels.Length == 0 ? ["netflix", "playready"] : labels).Select((label, i) => new LabelKeys(label, [[(byte)i, 1, 2], [(byte)i, 3, 4]]))]);
}
