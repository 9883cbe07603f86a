using System.Buffers.Binary;
using CsCheck;
using Provisioning.Daemon.Common;
using Provisioning.Daemon.Tests.Fuzz;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Common;

public sealed class ElfBuildIdTests
{
    public static TheoryData<string> Executables => new(Environment.ProcessPath!, "/usr/bin/env", "/usr/bin/readelf");

    [Theory]
    [MemberData(nameof(Executables))]
    public async Task Read_AnExecutableOfThisMachine_IsWhatReadelfReports(string path)
    {
        string expected = await Readelf.BuildIdAsync(path);

        Assert.Equal(expected, ElfBuildId.Read(path));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Find_AfterOtherNotes_InA64Or32BitFile(bool is64)
    {
        byte[] id = [0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x05];
        byte[] file = Elf(is64, Note(1, "GNU\0"u8, [1, 2, 3, 4]), Note(3, "XYZ\0"u8, [9, 9]), Note(3, "GNU\0"u8, id));

        Assert.Equal("deadbeef0102030405", ElfBuildId.Find(file));
    }

    [Fact]
    public void Find_NotAnElfFileOrNoBuildId_IsNull()
    {
        Assert.Null(ElfBuildId.Find("#!/bin/sh\nexit 0\n"u8.ToArray().Concat(new byte[100]).ToArray()));
        Assert.Null(ElfBuildId.Find(Elf(is64: true, Note(1, "GNU\0"u8, [1, 2, 3, 4]))));
        Assert.Null(ElfBuildId.Read("/proc/self/status"));
        Assert.Null(ElfBuildId.Read("/nonexistent/provisioningd"));
    }

    [Fact]
    public void Find_EveryTruncationOfAFile_IsTheIdOnceTheNoteIsWholeAndNullBefore()
    {
        foreach (bool is64 in (bool[])[true, false])
        {
            byte[] file = Elf(is64, Note(3, "GNU\0"u8, [0xab, 0xcd]));
            for (int length = 0; length < file.Length; length++)
            {
                Assert.Null(ElfBuildId.Find(file.AsSpan(0, length)));
            }

            Assert.Equal("abcd", ElfBuildId.Find(file));
        }
    }

    [Fact]
    public void Find_AnyDamageToARealHead_ReturnsAnIdOrNullWithoutThrowing()
    {
        byte[] head = File.ReadAllBytes(Environment.ProcessPath!).AsSpan(0, 4096).ToArray();

        InputGen.From([head, Elf(is64: false, Note(3, "GNU\0"u8, [7, 7, 7, 7]))]).Sample(
            bytes => ElfBuildId.Find(bytes) is null or { Length: > 0 },
            iter: 5000);
    }

    /// <summary>A little-endian ELF header, one PT_NOTE program header, then the notes.</summary>
    private static byte[] Elf(bool is64, params byte[][] notes)
    {
        int headerSize = is64 ? 64 : 52, entrySize = is64 ? 56 : 32;
        byte[] body = [.. notes.SelectMany(note => note)];
        byte[] file = new byte[headerSize + entrySize + body.Length];
        "\u007fELF"u8.CopyTo(file);
        file[4] = is64 ? (byte)2 : (byte)1;
        file[5] = 1;
        Span<byte> entry = file.AsSpan(headerSize);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, 4);
        if (is64)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(0x20), (ulong)headerSize);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x36), (ushort)entrySize);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x38), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], (ulong)(headerSize + entrySize));
            BinaryPrimitives.WriteUInt64LittleEndian(entry[32..], (ulong)body.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(0x1C), (uint)headerSize);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x2A), (ushort)entrySize);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(0x2C), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)(headerSize + entrySize));
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], (uint)body.Length);
        }

        body.CopyTo(file.AsSpan(headerSize + entrySize));
        return file;
    }

    private static byte[] Note(uint type, ReadOnlySpan<byte> name, byte[] description)
    {
        byte[] note = new byte[12 + Padded(name.Length) + Padded(description.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(note, (uint)name.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(4), (uint)description.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(8), type);
        name.CopyTo(note.AsSpan(12));
        description.CopyTo(note.AsSpan(12 + Padded(name.Length)));
        return note;
    }

    private static int Padded(int size) => (size + 3) & ~3;
}
