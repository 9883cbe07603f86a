using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Wedged;

// provisioningd, built the way the daemon builds itself, with one change: while the file named by
// PROVISIONINGD_WEDGE_FILE exists, the engine's loop stalls at its next look at the clock. The watchdog tests
// run it under the shipped unit (a drop-in changes ExecStart) to prove a hung engine is restarted.
const string WedgeFileVariable = "PROVISIONINGD_WEDGE_FILE";
string wedgeFile = Environment.GetEnvironmentVariable(WedgeFileVariable) is { Length: > 0 } path
    ? path
    : throw new InvalidOperationException(WedgeFileVariable + " must name the file whose existence wedges the engine.");

WebApplicationBuilder builder = DaemonHost.CreateBuilder(args);
builder.Services.UseEngineClock(new BlockingClock(() => File.Exists(wedgeFile), TimeProvider.System));
await using WebApplication app = DaemonHost.Build(builder);
await app.RunAsync();
