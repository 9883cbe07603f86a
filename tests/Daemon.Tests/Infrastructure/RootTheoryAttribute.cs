using System.Runtime.CompilerServices;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>The <see cref="RootFactAttribute"/> of a theory: skipped with the reason for a developer who is not root.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = RootFactAttribute.Reason;
        }
    }
}
