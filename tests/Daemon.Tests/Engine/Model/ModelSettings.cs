using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.Engine.Model;

/// <summary>What the engine under test and its reference model share: options, the clock's start, the label pool, documents.</summary>
internal static class ModelSettings
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan BootMaxDelay = TimeSpan.FromMinutes(2);

    /// <summary>The planner's random draw: the boot delay is half the window.</summary>
    public const double Random = 0.5;

    public static readonly TimeSpan RerunDelay = TimeSpan.FromMinutes(15);

    public const double RefreshFraction = 0.8;

    /// <summary>When a failed attempt or an accepted request says the next request goes out.</summary>
    public static readonly TimeSpan NextRequest = TimeSpan.FromSeconds(30);

    /// <summary>The labels provisionings are made of, and that callers ask for (plus one that never exists).</summary>
    public static readonly string[] Labels = ["cobalt", "netflix", "playready", "widevine"];

    public static readonly string[] AskedLabels = [.. Labels, "unknown"];

    public static string DeviceId => StoreSamples.DeviceId;

    /// <summary>A provisioning the back office issues at <paramref name="now"/>.</summary>
    public static ProvisioningDocument Document(DateTimeOffset now, DocumentSpec spec) => new(
        DeviceId,
        now - spec.IssuedAgo,
        spec.Lifetime is { } lifetime ? now - spec.IssuedAgo + lifetime : null,
        [.. Labels.Where((_, i) => (spec.LabelMask & (1 << i)) != 0)
            .Select((label, i) => new LabelKeys(label, [.. Enumerable.Range(0, spec.KeyCounts[i]).Select(k => new[] { spec.Generation, (byte)i, (byte)k })]))]);

    public static RunPlanner Planner() => new(
        new EngineOptions { RerunDelay = RerunDelay, RefreshFraction = RefreshFraction },
        new BootOptions { MaxDelay = BootMaxDelay },
        EngineHarness.BuildDate,
        () => Random);
}

/// <summary>The shape of a provisioning: which labels (a non-zero mask over the pool), keys per label, age and lifetime.</summary>
internal sealed record DocumentSpec(int LabelMask, int[] KeyCounts, TimeSpan IssuedAgo, TimeSpan? Lifetime, byte Generation)
{
    public override string ToString() =>
        $"labels {LabelMask:b4}, keys [{string.Join(',', KeyCounts)}], issued {IssuedAgo} ago, lifetime {Lifetime?.ToString() ?? "none"}, gen {Generation}";
}
