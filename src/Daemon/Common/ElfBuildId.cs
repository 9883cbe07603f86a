using System.Buffers.Binary;

namespace Provisioning.Daemon.Common;

/// <summary>
/// The GNU build ID of an ELF executable (its NT_GNU_BUILD_ID note): the key that matches a Native AOT build to
/// its symbol file (provisioningd.dbg), with which the addresses of a stack trace are turned back into methods
/// (tools/symbolize.sh; README, "Stack traces from a device").
/// </summary>
internal static class ElfBuildId
{
    /// <summary>The ELF header, the program headers and the notes lie at the start of the file.</summary>
    private const int HeadLength = 64 * 1024;
    private const uint ProgramHeaderNote = 4; // PT_NOTE
    private const uint NoteGnuBuildId = 3; // NT_GNU_BUILD_ID

    /// <summary>The build ID in lower-case hex, or null when the file is not an ELF file with one (or cannot be read).</summary>
    public static string? Read(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            byte[] head = new byte[(int)Math.Min(HeadLength, file.Length)];
            file.ReadExactly(head);
            return Find(head);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The build ID of a little-endian ELF file (32- or 64-bit) from its first bytes; null when absent or malformed.</summary>
    public static string? Find(ReadOnlySpan<byte> head)
    {
        // e_ident: the magic, the class (1: 32-bit, 2: 64-bit), the byte order (1: little-endian).
        if (head.Length < 52 || !head[..4].SequenceEqual("\u007fELF"u8) || head[4] is not (1 or 2) || head[5] != 1)
        {
            return null;
        }

        bool is64 = head[4] == 2;
        if (is64 && head.Length < 64)
        {
            return null;
        }

        ulong tableOffset = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(head[0x20..]) : BinaryPrimitives.ReadUInt32LittleEndian(head[0x1C..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(head[(is64 ? 0x36 : 0x2A)..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(head[(is64 ? 0x38 : 0x2C)..]);
        for (int i = 0; i < count; i++)
        {
            ulong entry = tableOffset + ((ulong)i * (ulong)entrySize);
            if (entry + (ulong)(is64 ? 40 : 20) > (ulong)head.Length)
            {
                return null;
            }

            ReadOnlySpan<byte> header = head[(int)entry..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != ProgramHeaderNote)
            {
                continue;
            }

            ulong offset = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(header[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            ulong size = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(header[32..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            if (offset > (ulong)head.Length || size > (ulong)head.Length - offset)
            {
                continue;
            }

            if (FindInNotes(head.Slice((int)offset, (int)size)) is { } id)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Each note: name size, description size, type, then the name and the description, each padded to 4 bytes.</summary>
    private static string? FindInNotes(ReadOnlySpan<byte> notes)
    {
        while (notes.Length >= 12)
        {
            uint nameSize = BinaryPrimitives.ReadUInt32LittleEndian(notes);
            uint descriptionSize = BinaryPrimitives.ReadUInt32LittleEndian(notes[4..]);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(notes[8..]);
            ulong nameEnd = 12 + Padded(nameSize);
            ulong end = nameEnd + Padded(descriptionSize);
            if (end > (ulong)notes.Length)
            {
                return null;
            }

            if (type == NoteGnuBuildId && nameSize == 4 && notes.Slice(12, 4).SequenceEqual("GNU\0"u8) && descriptionSize > 0)
            {
                return Convert.ToHexStringLower(notes.Slice((int)nameEnd, (int)descriptionSize));
            }

            notes = notes[(int)end..];
        }

        return null;
    }

    private static ulong Padded(uint size) => ((ulong)size + 3) & ~3UL;
}
