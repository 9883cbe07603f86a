namespace Provisioning.Daemon.Engine;

/// <summary>What started a run.</summary>
internal enum RunTrigger
{
    Caller,
    Boot,
    Refresh,
    Rerun,
}
