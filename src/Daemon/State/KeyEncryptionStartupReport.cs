namespace Provisioning.Daemon.State;

/// <summary>Says once at start whether key material is encrypted at rest, even when nothing is read or written yet.</summary>
internal sealed class KeyEncryptionStartupReport(KeyMaterialProtector protector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            protector.ReportModeOnce();
        }
        catch (StateStoreException)
        {
            // The key went away after validation; the engine reports the store unusable with the reason.
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
