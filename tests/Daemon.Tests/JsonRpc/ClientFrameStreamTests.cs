using System.IO.Pipelines;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// <see cref="ClientFrameStream"/> against a reference: whatever the frames (masked or not, 7-, 16- or 64-bit
/// lengths, control frames) and however the reader slices its reads, it hands on every masked frame byte for byte
/// and every unmasked one with the mask bit and a zero key added, payload untouched.
/// </summary>
public sealed class ClientFrameStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2026)]
    public async Task RandomFramesAndReadSizes_OutputIsTheReferenceTransform(int seed)
    {
        var random = new Random(seed);
        var wire = new MemoryStream();
        var expected = new MemoryStream();
        for (int i = 0; i < 200; i++)
        {
            int opcode = random.Next(4) switch { 0 => 0x1, 1 => 0x2, 2 => 0x0, _ => 0x9 };
            int length = random.Next(5) switch { 0 => 0, 1 => random.Next(1, 126), 2 => random.Next(126, 70_000), _ => random.Next(1, 300) };
            if (opcode == 0x9)
            {
                length = Math.Min(length, 125);
            }

            byte[] payload = new byte[length];
            random.NextBytes(payload);
            bool masked = random.Next(2) == 0;
            byte[]? key = masked ? [(byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)] : null;
            byte[] frame = RawWebSocket.Frame(opcode, payload, fin: random.Next(2) == 0, maskKey: key);
            wire.Write(frame);
            expected.Write(masked ? frame : WithZeroMask(frame, length));
        }

        await using var stream = new ClientFrameStream(new MemoryStream(wire.ToArray()));
        var output = new MemoryStream();
        byte[] buffer = new byte[80_000];
        while (true)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(0, random.Next(1, buffer.Length)));
            if (read == 0)
            {
                break;
            }

            output.Write(buffer, 0, read);
        }

        Assert.Equal(expected.ToArray(), output.ToArray());
        Assert.False(stream.PeerClosed);
    }

    [Fact]
    public async Task Drain_StopsRightAfterThePeersCloseFrame()
    {
        var wire = new MemoryStream();
        wire.Write(RawWebSocket.Frame(0x1, new byte[300]));
        wire.Write(RawWebSocket.Frame(0x8, [0x03, 0xe8], maskKey: [1, 2, 3, 4]));
        long afterClose = wire.Length;
        wire.Write(RawWebSocket.Frame(0x1, new byte[10]));
        var transport = new MemoryStream(wire.ToArray());

        await using var stream = new ClientFrameStream(transport);
        await stream.DrainAsync(TimeProvider.System, CancellationToken.None);

        Assert.True(stream.PeerClosed);
        Assert.Equal(afterClose, transport.Position);
    }

    [Fact]
    public async Task LengthWithTopBitSet_HeaderHandedOnForTheWebSocketToRefuse_DrainStopsAtThePeersPause()
    {
        // The peer keeps its end open after our close: only its pause ends the drain.
        var pipe = new Pipe();
        byte[] header = [0x81, 127, 0x80, 0, 0, 0, 0, 0, 0, 0];
        await pipe.Writer.WriteAsync(header);
        await pipe.Writer.WriteAsync(RawWebSocket.Frame(0x8, [0x03, 0xe8]));
        await using var stream = new ClientFrameStream(pipe.Reader.AsStream());

        byte[] handedOn = new byte[header.Length + 4];
        await stream.ReadExactlyAsync(handedOn);
        Assert.Equal([0x81, 0x80 | 127, .. header[2..], 0, 0, 0, 0], handedOn);
        Assert.True(stream.FramingLost);

        var clock = new FakeTimeProvider();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task draining = stream.DrainAsync(clock, patience.Token);
        Assert.False(draining.IsCompleted, "the drain ended before the peer's pause");
        clock.Advance(ClientFrameStream.UnframedQuietTime);
        await draining;
        Assert.False(patience.IsCancellationRequested);
        Assert.False(pipe.Reader.TryRead(out ReadResult rest) && rest.Buffer.Length > 0, "the drain left the peer's close frame unread");
    }

    [Fact]
    public async Task Write_NothingAfterTheCloseFrame()
    {
        var transport = new MemoryStream();
        await using var stream = new ClientFrameStream(transport);
        await stream.WriteAsync(new byte[] { 0x81, 0x01, (byte)'a' });
        await stream.WriteAsync(new byte[] { 0x88, 0x02, 0x03, 0xef });
        await stream.WriteAsync(new byte[] { 0x81, 0x01, (byte)'b' });
        Assert.Equal(new byte[] { 0x81, 0x01, (byte)'a', 0x88, 0x02, 0x03, 0xef }, transport.ToArray());
    }

    /// <summary>The frame with the mask bit set and a zero key after the length.</summary>
    private static byte[] WithZeroMask(byte[] frame, int payloadLength)
    {
        int headerLength = frame.Length - payloadLength;
        byte[] result = new byte[frame.Length + 4];
        frame.AsSpan(0, headerLength).CopyTo(result);
        result[1] |= 0x80;
        frame.AsSpan(headerLength).CopyTo(result.AsSpan(headerLength + 4));
        Assert.Equal(payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10, headerLength);
        return result;
    }
}
