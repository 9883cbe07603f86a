using System.Threading.Channels;
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
    private static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(30);

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
    public async Task<RunOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var progress = Channel.CreateUnbounded<RunProgress>();

        // The clock never moves past the run's budget, so a run that gives up ends at its deadline.
        DateTimeOffset deadline = Time.GetUtcNow() + Options.RunBudget;
        Task<RunOutcome> run = Client.RunAsync(
            new ProvisionRequest(ProvisioningJson.DeviceId, IdempotencyKey),
            p =>
            {
                lock (Progress)
                {
                    Progress.Add(p);
                }

                progress.Writer.TryWrite(p);
            },
            cancellationToken);

        while (true)
        {
            Task<bool> nextProgress = progress.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            Task<bool> nextHang = BackOffice.Hangs.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            await Task.WhenAny(run, nextProgress, nextHang).WaitAsync(RealTimeout, CancellationToken.None);
            if (progress.Reader.TryRead(out RunProgress? p))
            {
                if (p.Kind != RunProgressKind.AttemptStarted && p.NextAttemptAt > Time.GetUtcNow())
                {
                    await Time.WaitForTimerAtAsync(p.NextAttemptAt, RealTimeout);
                    Time.Advance((p.NextAttemptAt < deadline ? p.NextAttemptAt : deadline) - Time.GetUtcNow());
                }
            }
            else if (BackOffice.Hangs.Reader.TryRead(out _))
            {
                Time.Advance(Options.AttemptTimeout);
            }
            else if (run.IsCompleted)
            {
                return await run;
            }
        }
    }

    /// <summary>The waits between consecutive requests.</summary>
    public TimeSpan[] Gaps()
    {
        IReadOnlyList<RecordedRequest> requests = BackOffice.Requests;
        return [.. requests.Skip(1).Select((r, i) => r.At - requests[i].At)];
    }

    public void Dispose() => _httpClient.Dispose();
}
