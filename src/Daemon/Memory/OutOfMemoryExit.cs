namespace Provisioning.Daemon.Memory;

/// <summary>
/// Out of memory ends the process: when an allocation fails (the GC heap limit of the unit,
/// DOTNET_GCHeapHardLimit, is reached), the daemon does not go on with a half-done request or a half-run
/// engine step; it aborts (SIGABRT, a non-zero exit) and systemd's Restart=on-failure starts it again on the
/// state on disk, which is crash-safe. Without this, an OutOfMemoryException inside a request would be
/// answered as an error and the process would limp on at its limit. (The Native AOT runtime of .NET 10.0.12
/// does not get this far: its GC crashes when it needs a new region at the limit; README, "Memory".)
/// </summary>
internal static class OutOfMemoryExit
{
    public const string Message = "provisioningd: out of memory (the GC heap limit is reached); aborting so that the service manager restarts it";

    public static void Install() =>
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (e.Exception is OutOfMemoryException)
            {
                Environment.FailFast(Message);
            }
        };
}
