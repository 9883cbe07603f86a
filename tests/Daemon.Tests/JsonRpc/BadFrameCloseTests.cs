using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// A frame the protocol refuses always gets its close frame before the connection ends: never a reset, never a
/// silent drop, whatever came before it and whether or not anything follows it; and every call before it, even in
/// the same write, is answered before the close frame. Many seeded runs over real sockets.
/// </summary>
public sealed class BadFrameCloseTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private const int Runs = 600;

    private BridgeHost Host => fixture.Host;

    [Theory]
    [InlineData(20260101)]
    [InlineData(42)]
    public async Task InvalidUtf8TextFrame_AlwaysClosed1007_SeededRuns(int seed)
    {
        var random = new Random(seed);
        List<string> failures = [];
        for (int run = 0; run < Runs; run++)
        {
            string? failure = await OneRunAsync(random, run);
            if (failure is not null)
            {
                failures.Add($"seed {seed} run {run}: {failure}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {Runs} runs ended without close 1007:\n" + string.Join("\n", failures.Take(20)));
    }

    private async Task<string?> OneRunAsync(Random random, int run)
    {
        await using RawWebSocket socket = await RawWebSocket.OpenAsync(
            Host.BaseAddress,
            $"GET /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: {RawWebSocket.NewKey()}\r\nSec-WebSocket-Version: 13\r\n\r\n");
        Assert.Equal(101, socket.HandshakeStatus);

        // Masked like a browser, or unmasked like Thunder's native client.
        bool masked = random.Next(2) == 0;

        // Valid calls before the bad frame (their answers may be in flight when it arrives), in the same write or not.
        int before = random.Next(0, 4);
        bool oneWrite = random.Next(2) == 0;
        var bytes = new MemoryStream();
        for (int i = 0; i < before; i++)
        {
            byte[] frame = RawWebSocket.Frame(WebSocketFrame.Text, Encoding.UTF8.GetBytes(Requests.Call("Provisioning.1.id", (uint)(i + 1))), maskKey: MaskKey(random, masked));
            if (oneWrite)
            {
                bytes.Write(frame);
            }
            else
            {
                await socket.SendRawAsync(frame);
            }
        }

        // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong encoding, a surrogate, and one
        // early in a frame larger than the WebSocket reads at once (the rest of the frame is still unread then).
        byte[] large = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"" + new string('x', 3000) + "\"}");
        large[2] = 0xff;
        byte[][] bad = [[(byte)'{', 0xff, (byte)'}'], [(byte)'"', 0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [(byte)'{', (byte)'"', 0x80, (byte)'"', (byte)'}'], large];
        byte[] payload = bad[random.Next(bad.Length)];
        bytes.Write(RawWebSocket.Frame(WebSocketFrame.Text, payload, maskKey: MaskKey(random, masked)));

        // Sometimes more calls follow the bad frame in the same write: the bridge must not reset the connection on them.
        int after = random.Next(0, 3);
        for (int i = 0; i < after; i++)
        {
            bytes.Write(RawWebSocket.Frame(WebSocketFrame.Text, Encoding.UTF8.GetBytes(Requests.Call("Provisioning.1.id", (uint)(100 + i))), maskKey: MaskKey(random, masked)));
        }

        await socket.SendRawAsync(bytes.ToArray());
        string shape = $"before={before} after={after} oneWrite={oneWrite} masked={masked} bad={payload.Length} bytes";

        int answers = 0;
        try
        {
            while (true)
            {
                WebSocketFrame? frame = await socket.ReceiveFrameAsync();
                if (frame is null)
                {
                    return $"connection ended without a close frame after {answers} answers ({shape})";
                }

                if (frame.Opcode == WebSocketFrame.Close)
                {
                    if (frame.CloseStatus != 1007)
                    {
                        return $"closed with {frame.CloseStatus} ({shape})";
                    }

                    if (answers != before)
                    {
                        return $"closed 1007 after {answers} answers to the {before} calls before the bad frame ({shape})";
                    }

                    break;
                }

                answers++;
            }

            // A well-behaved peer answers the close and waits for the server to end the connection, which it then does.
            if (random.Next(2) == 0)
            {
                await socket.SendFrameAsync(WebSocketFrame.Close, new byte[] { 0x03, 0xe8 }, maskKey: MaskKey(random, masked));
                WebSocketFrame? extra = await socket.ReceiveFrameAsync(TimeSpan.FromSeconds(5));
                if (extra is not null)
                {
                    return $"a frame after the close handshake: {extra} ({shape})";
                }
            }

            return null;
        }
        catch (IOException exception)
        {
            return $"connection reset after {answers} answers ({shape}): {exception.Message}";
        }
        catch (OperationCanceledException)
        {
            return $"the server kept the connection open after the close handshake ({shape})";
        }
    }

    private static byte[]? MaskKey(Random random, bool masked)
    {
        if (!masked)
        {
            return null;
        }

        byte[] key = new byte[4];
        random.NextBytes(key);
        return key;
    }
}
