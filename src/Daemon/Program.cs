using Provisioning.Daemon.Hosting;

await DaemonHost.Build(DaemonHost.CreateBuilder(args)).RunAsync();
