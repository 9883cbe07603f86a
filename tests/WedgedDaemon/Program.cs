using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Wedged;

// provisioningd, built the way the daemon builds itself (DaemonHost, and DaemonProgram's handling of what ends
// the process), with two test seams the device binary does not have:
// - while the file named by PROVISIONINGD_WEDGE_FILE exists, the engine's loop stalls at its next look at the
//   clock: the watchdog tests run it under the shipped unit (a drop-in changes ExecStart) to prove a hung
//   engine is restarted;
// - PROVISIONINGD_HOLD_MIB=N: once started, it allocates and holds N MiB, 1 MiB at a time, so that a test can
//   reach the GC heap limit (DOTNET_GCHeapHardLimit) and see what the daemon does then.
const string WedgeFileVariable = "PROVISIONINGD_WEDGE_FILE";
const string HoldVariable = "PROVISIONINGD_HOLD_MIB";
string? wedgeFile = Environment.GetEnvironmentVariable(WedgeFileVariable) is { Length: > 0 } path ? path : null;
int holdMiB = int.TryParse(Environment.GetEnvironmentVariable(HoldVariable), out int mib) ? mib : 0;
if (wedgeFile is null && holdMiB == 0)
{
    throw new InvalidOperationException($"{WedgeFileVariable} (the file whose existence wedges the engine) or {HoldVariable} must be set.");
}

return await DaemonProgram.ExitCodeOfAsync(async () =>
{
    WebApplicationBuilder builder = DaemonHost.CreateBuilder(args);
    if (wedgeFile is not null)
    {
        builder.Services.UseEngineClock(new BlockingClock(() => File.Exists(wedgeFile), TimeProvider.System));
    }

    await using WebApplication app = DaemonHost.Build(builder);
    await app.StartAsync();
    var held = new List<byte[]>();
    for (int i = 0; i < holdMiB; i++)
    {
        byte[] block = new byte[1024 * 1024];
        Array.Fill(block, (byte)i);
        held.Add(block);
    }

    Console.WriteLine($"holding {held.Count} MiB");
    await app.WaitForShutdownAsync();
    return DaemonProgram.ExitOk;
});
