namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>A change to a file's bytes not yet made durable: a write (<see cref="Data"/> at <see cref="Offset"/>) or a new size.</summary>
internal sealed record FileChange(long Offset, byte[] Data, long NewLength = -1)
{
    public bool IsWrite => NewLength < 0;

    public static FileChange SetLength(long length) => new(0, [], length);

    public byte[] ApplyTo(byte[] content)
    {
        if (!IsWrite)
        {
            byte[] resized = new byte[NewLength];
            content.AsSpan(0, (int)Math.Min(content.Length, NewLength)).CopyTo(resized);
            return resized;
        }

        return WritePart(content, Data.Length, Math.Max(content.Length, Offset + Data.Length));
    }

    /// <summary>The first <paramref name="bytes"/> of this write applied, the file <paramref name="length"/> long (new bytes not written are zero).</summary>
    public byte[] WritePart(byte[] content, int bytes, long length)
    {
        byte[] result = new byte[length];
        content.AsSpan(0, (int)Math.Min(content.Length, length)).CopyTo(result);
        Data.AsSpan(0, bytes).CopyTo(result.AsSpan((int)Offset));
        return result;
    }
}
