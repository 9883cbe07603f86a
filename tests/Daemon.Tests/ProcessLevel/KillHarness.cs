using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.ProcessLevel;

/// <summary>
/// SIGKILLs the daemon at random moments while it rewrites a large state about once a second: each round
/// starts it on what the previous round left, waits for a completed write, waits a seeded random delay
/// (0-1.5 s), kills it, looks for the traces of an interrupted write (before anything cleans them up), and
/// loads the state as the next start would. PROVISIONINGD_KILLS and PROVISIONINGD_KILL_SEED override the
/// round count and the seed; the seed is printed so a failing run can be repeated.
/// </summary>
internal sealed class KillHarness(string stateDirectory, string deviceId, IReadOnlyList<string> daemonArguments)
{
    public const string CountVariable = "PROVISIONINGD_KILLS";
    public const string SeedVariable = "PROVISIONINGD_KILL_SEED";
    public const string ReportVariable = "PROVISIONINGD_KILL_REPORT";

    public const int MaxDelayMs = 1500;

    public static (int Rounds, int Seed) FromEnvironment(int defaultRounds) => (
        Environment.GetEnvironmentVariable(CountVariable) is { Length: > 0 } count ? int.Parse(count, CultureInfo.InvariantCulture) : defaultRounds,
        Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } seed ? int.Parse(seed, CultureInfo.InvariantCulture) : Random.Shared.Next());

    public async Task<IReadOnlyList<KillRound>> RunAsync(int rounds, int seed)
    {
        var random = new Random(seed);
        var results = new List<KillRound>();
        for (int round = 0; round < rounds; round++)
        {
            int delay = random.Next(0, MaxDelayMs);
            await using (var daemon = DaemonProcess.Start(daemonArguments))
            {
                await daemon.WaitUntilProvisionedAsync();
                await Task.Delay(delay);
                await daemon.SignalAsync("KILL");
                await daemon.WaitForExitAsync();
            }

            results.Add(new KillRound(round, delay, InterruptedWrite(), LoadProblem()));
        }

        return results;
    }

    public static string Summary(IReadOnlyList<KillRound> rounds, int seed) =>
        $"{rounds.Count} SIGKILLs (seed {seed}; {SeedVariable}={seed} {CountVariable}={rounds.Count} repeats it): " +
        $"{rounds.Count(r => r.InsideWrite)} inside a state write, {rounds.Count(r => r.Problem is not null)} left a corrupt or lost state";

    /// <summary>A temporary file, or a key file besides the one in use: a write had begun on disk and not finished.</summary>
    private bool InterruptedWrite() =>
        Directory.GetFiles(stateDirectory, "*.tmp-*").Length > 0 || Directory.GetFiles(stateDirectory, "keys-*.bin").Length > 1;

    private string? LoadProblem()
    {
        var store = new StateStore(
            Options.Create(new StateOptions { Directory = stateDirectory }),
            new KeyMaterialProtector(NullLogger<KeyMaterialProtector>.Instance, KeyEncryptionKeys.None),
            TimeProvider.System,
            NullLogger<StateStore>.Instance);
        int asideBefore = Directory.GetFiles(stateDirectory, "state.json.bad-*").Length;
        StoredState loaded = store.Load(deviceId);
        return Directory.GetFiles(stateDirectory, "state.json.bad-*").Length > asideBefore ? "corrupt: the state file was moved aside"
            : loaded.Provisioning is null ? "lost: no provisioning"
            : loaded.Provisioning.Labels.Count != 3 ? $"corrupt: {loaded.Provisioning.Labels.Count} labels instead of 3"
            : null;
    }
}
