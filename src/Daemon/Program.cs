using Provisioning.Daemon.Hosting;

return await DaemonProgram.RunAsync(args);
