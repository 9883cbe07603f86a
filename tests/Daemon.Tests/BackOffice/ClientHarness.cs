using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// A BackOfficeClient on a scripted transport and a fake clock. <see cref="RunAsync"/> moves the clock to
/// each next attempt the client announces, once the client is really waiting for it.
/// </summary>
internal sealed class ClientHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _httpClient;

    public ClientHarness(Action<BackOfficeOptions>? configure = null, Func<double>? random = null, BackOfficePipeline? pipeline = null)
    {
        Options = new BackOfficeOptions
        {
            Url = new Uri("http://127.0.0.1:9/"),
            Model = "stb-x1",
            Firmware = "2.4.1",
            RunBudget = TimeSpan.FromHours(1),
            Retry = { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(60) },
            CircuitBreaker = { MinimumThroughput = 1000 },
        };
        configure?.Invoke(Options);
        Time = new TimerTrackingTimeProvider(Start);
        BackOffice = new ScriptedBackOffice(Time);
        _httpClient = new HttpClient(BackOffice);
        Pipeline = pipeline ?? new BackOfficePipeline(Options, Time, NullLogger.Instance, random ?? (() => 0.5));
        Client = new BackOfficeClient(_httpClient, Microsoft.Extensions.Options.Options.Create(Options), Pipeline, Time, NullLogger<BackOfficeClient>.Instance);
    }

    public BackOfficeOptions Options { get; }

    public TimerTrackingTimeProvider Time { get; }

    public ScriptedBackOffice BackOffice { get; }

    public BackOfficePipeline Pipeline { get; }

    public BackOfficeClient Client { get; }

    public List<RunProgress> Progress { get; } = [];

    public Guid IdempotencyKey { get; } = Guid.NewGuid();

    /// <summary>Runs one provisioning to its end, moving the fake clock as the client waits.</summary>
    public Task<RunOutcome> RunAsync(CancellationToken cancellationToken = default) =>
        FakeClockDriver.RunAsync(
            Client, Time, new ProvisionRequest(ProvisioningJson.DeviceId, IdempotencyKey), Options, Progress, BackOffice.Hangs.Reader, cancellationToken);

    /// <summary>The waits between consecutive requests.</summary>
    public TimeSpan[] Gaps()
    {
        IReadOnlyList<RecordedRequest> requests = BackOffice.Requests;
        return [.. requests.Skip(1).Select((r, i) => r.At - requests[i].At)];
    }

    public void Dispose() => _httpClient.Dispose();
}
