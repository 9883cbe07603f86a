using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// The typed HTTP client of the back office (backoffice-protocol.md), with one Polly pipeline.
/// PLACEHOLDER: the back-office helper replaces this body.
/// </summary>
internal sealed class BackOfficeClient(HttpClient httpClient, IOptions<BackOfficeOptions> options, TimeProvider timeProvider)
{
    /// <summary>False when no back-office URL is configured: callers then see ERROR_UNAVAILABLE.</summary>
    public bool IsConfigured => options.Value.Url is not null;

    /// <summary>Runs one provisioning: attempts, retries, polls, until an outcome or the run's budget is spent.</summary>
    public Task<RunOutcome> RunAsync(ProvisionRequest request, Action<RunProgress> onProgress, CancellationToken cancellationToken)
    {
        _ = httpClient;
        _ = timeProvider;
        _ = request;
        onProgress(new RunProgress(RunProgressKind.AttemptStarted, 1, 0, "started", timeProvider.GetUtcNow()));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<RunOutcome>(new RunOutcome.GaveUp(0, "the back-office client is not built yet"));
    }
}
