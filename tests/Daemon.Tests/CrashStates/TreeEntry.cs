namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>A file (its bytes) or a directory in a <see cref="FileTree"/>, with its mode.</summary>
internal sealed record TreeEntry(bool IsDirectory, UnixFileMode Mode, byte[] Content)
{
    public static TreeEntry Directory(UnixFileMode mode) => new(true, mode, []);

    public static TreeEntry File(UnixFileMode mode, byte[] content) => new(false, mode, content);
}
