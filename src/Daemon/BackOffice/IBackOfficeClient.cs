namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// What the engine needs of the back office: one run, from the first attempt to an outcome. The engine's
/// unit tests put a scripted back office here; the daemon puts <see cref="BackOfficeClient"/>.
/// </summary>
internal interface IBackOfficeClient
{
    /// <summary>
    /// Runs one provisioning: attempts, retries, polls, until an outcome or the run's budget is spent. Never
    /// throws for what the back office or the network does; cancellation ends it with GaveUp.
    /// </summary>
    Task<RunOutcome> RunAsync(ProvisionRequest request, Action<RunProgress> onProgress, CancellationToken cancellationToken);
}
