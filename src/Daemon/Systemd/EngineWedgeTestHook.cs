using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Systemd;

/// <summary>
/// TEST ONLY. When the environment variable <see cref="Variable"/> names a file, the engine loop stalls before
/// each command while that file exists, so the watchdog tests can prove WATCHDOG=1 stops for a hung loop.
/// Unset (always, in production) it installs nothing.
/// </summary>
internal static class EngineWedgeTestHook
{
    public const string Variable = "PROVISIONINGD_TEST_WEDGE_ENGINE_WHILE_FILE_EXISTS";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static void InstallIfRequested(ProvisioningEngine engine, TimeProvider time, ILogger logger)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } path)
        {
            return;
        }

        SystemdLog.WedgeHookActive(logger, path, Variable);
        engine.BeforeCommand = async () =>
        {
            while (File.Exists(path))
            {
                await Task.Delay(PollInterval, time);
            }
        };
    }
}
