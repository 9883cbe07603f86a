using System.Runtime.CompilerServices;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>
/// A test that needs root for its set-up (another uid through setpriv, chattr, mount, file owners): for a
/// developer who is not root it is skipped with that reason instead of failing. CI runs as root.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = Reason;
        }
    }

    /// <summary>Why a test that needs root is skipped.</summary>
    internal const string Reason = "needs root (another uid, chattr, mount or file owners); run the tests as root, as .ci/run does";
}
