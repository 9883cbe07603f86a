namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>An open file description while a trace is read: shared by an fd and its dups, with its offset.</summary>
internal sealed class OpenFile(int handle, string path, bool append, bool tracked)
{
    public int Handle { get; } = handle;

    public string Path { get; } = path;

    public bool Append { get; } = append;

    /// <summary>True when the file is under the traced folder: its writes and fsyncs become operations.</summary>
    public bool Tracked { get; } = tracked;

    public long Offset { get; set; }
}
