using Provisioning.Daemon.Dev;
using Provisioning.Daemon.Hosting;

// provisioningd-dev: the daemon's host with the back-office simulator in-process (see DevMode).
return await DaemonProgram.ExitCodeOfAsync(() => DevMode.RunAsync([.. args.Where(a => a != DevMode.Switch)]));
