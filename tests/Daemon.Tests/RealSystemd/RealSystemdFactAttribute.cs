using System.Runtime.CompilerServices;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>A test that boots this machine's systemd; skipped, with the reason printed, where it cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealSystemdFactAttribute : FactAttribute
{
    public RealSystemdFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = MachineSupport.CannotBootSystemd;
    }
}
