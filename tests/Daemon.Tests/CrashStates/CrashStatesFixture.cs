using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Records the daemon's state writes once for the crash-state tests and enumerates their crash states; also
/// holds the refusing back office the checks run against. Without strace, <see cref="SkipReason"/> says why.
/// </summary>
public sealed class CrashStatesFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SimulatorServer? _recording;
    private SimulatorServer? _refusing;

    public string? SkipReason { get; private set; }

    internal IReadOnlyList<CrashSpace> Spaces { get; private set; } = [];

    internal CrashStateChecker Checker => new(_temp.Combine("checks"), _refusing!);

    /// <summary>How long recording and enumerating took.</summary>
    public TimeSpan SetUpTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SkipReason = await StraceRecorder.UnavailableReasonAsync();
        if (SkipReason is not null)
        {
            return;
        }

        _recording = await SimulatorServer.StartAsync(new SimulatorOptions());
        _refusing = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            Faults = { new FaultSpec { Kind = FaultKind.Status, Status = 503, Forever = true } },
        });
        Directory.CreateDirectory(_temp.Combine("checks"));
        IReadOnlyList<RecordedScenario> scenarios = await new CrashScenarioRecorder(_temp.Combine("recordings"), _recording).RecordAllAsync();
        Spaces = [.. scenarios.Select(CrashSpace.Enumerate)];
        SetUpTime = clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_recording is not null)
        {
            await _recording.DisposeAsync();
        }

        if (_refusing is not null)
        {
            await _refusing.DisposeAsync();
        }

        _temp.Dispose();
    }
}
