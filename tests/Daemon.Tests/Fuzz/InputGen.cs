using CsCheck;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>Inputs for the readers: corpus files with a few random edits (most inputs), or random bytes.</summary>
internal static class InputGen
{
    private enum Edit
    {
        FlipBit,
        SetByte,
        Insert,
        Delete,
        Duplicate,
    }

    public static Gen<byte[]> From(IReadOnlyList<byte[]> seeds) => Gen.Frequency(
        (4, Mutated(seeds)),
        (1, Gen.Byte.Array[0, 300]));

    private static Gen<byte[]> Mutated(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(
            Gen.Int[0, seeds.Count - 1],
            Gen.Select(Gen.Enum<Edit>(), Gen.Int[0, int.MaxValue], Gen.Byte).Array[1, 6],
            (seed, edits) => edits.Aggregate(seeds[seed], Apply));

    private static byte[] Apply(byte[] input, (Edit Kind, int Where, byte Value) edit)
    {
        int at = input.Length == 0 ? 0 : edit.Where % input.Length;
        List<byte> bytes = [.. input];
        switch (edit.Kind)
        {
            case Edit.FlipBit when bytes.Count > 0:
                bytes[at] ^= (byte)(1 << (edit.Value % 8));
                break;
            case Edit.SetByte when bytes.Count > 0:
                bytes[at] = edit.Value;
                break;
            case Edit.Insert:
                bytes.Insert(at, edit.Value);
                break;
            case Edit.Delete when bytes.Count > 0:
                bytes.RemoveRange(at, Math.Min(1 + (edit.Value % 16), bytes.Count - at));
                break;
            case Edit.Duplicate when bytes.Count > 0:
                int length = Math.Min(1 + (edit.Value % 32), bytes.Count - at);
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
        }

        return [.. bytes];
    }
}
