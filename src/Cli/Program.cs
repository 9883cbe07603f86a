using System.CommandLine;
using Provisioning.Cli;

return await CliApp.CreateRootCommand().Parse(args).InvokeAsync();
