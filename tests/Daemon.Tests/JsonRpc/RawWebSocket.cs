using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// A WebSocket client that writes every byte itself, over a real TCP connection: the upgrade request as given,
/// frames masked or not, whole or fragmented. For speaking exactly as a caller does that no library imitates.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawWebSocket(TcpClient client, string handshakeResponse)
    {
        _client = client;
        _stream = client.GetStream();
        HandshakeResponse = handshakeResponse;
    }

    /// <summary>The bridge's answer to the upgrade request, headers and all.</summary>
    public string HandshakeResponse { get; }

    public int HandshakeStatus => RawHttp.StatusOf(HandshakeResponse);

    /// <summary>A fresh Sec-WebSocket-Key, as every client makes one.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>The Sec-WebSocket-Accept RFC 6455 derives from a key.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "RFC 6455 fixes SHA-1 for the handshake; it protects nothing.")]
    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    /// <summary>Connects and sends the upgrade request byte for byte; the handshake answer is in <see cref="HandshakeResponse"/>.</summary>
    public static async Task<RawWebSocket> OpenAsync(Uri baseAddress, string upgradeRequest)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await client.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(upgradeRequest), timeout.Token);

            // Read the answer byte by byte up to the blank line, so no frame that follows it is swallowed.
            var head = new StringBuilder();
            byte[] one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, timeout.Token) == 0)
                {
                    break;
                }

                head.Append((char)one[0]);
            }

            string response = head.ToString();
            if (response.Length > 0 && RawHttp.StatusOf(response) != 101)
            {
                // A refusal: its body, if it has one, up to Content-Length.
                int length = response.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                byte[] body = new byte[length];
                await stream.ReadExactlyAsync(body, timeout.Token);
                response += Encoding.UTF8.GetString(body);
            }

            return new RawWebSocket(client, response);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Writes one frame. <paramref name="maskKey"/> null sends it unmasked, as Thunder's native client does.</summary>
    public Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true, byte[]? maskKey = null) =>
        SendRawAsync(Frame(opcode, payload.Span, fin, maskKey));

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>The bytes of one frame (client to server), masked with <paramref name="maskKey"/> when given.</summary>
    public static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true, byte[]? maskKey = null)
    {
        int lengthBytes = payload.Length <= 125 ? 0 : payload.Length <= ushort.MaxValue ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + (maskKey is null ? 0 : 4) + payload.Length];
        frame[0] = (byte)((fin ? 0x80 : 0) | opcode);
        frame[1] = (byte)((maskKey is null ? 0 : 0x80) | (lengthBytes switch { 0 => payload.Length, 2 => 126, _ => 127 }));
        int offset = 2;
        if (lengthBytes == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else if (lengthBytes == 8)
        {
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        offset += lengthBytes;
        if (maskKey is not null)
        {
            maskKey.CopyTo(frame, offset);
            offset += 4;
        }

        payload.CopyTo(frame.AsSpan(offset));
        if (maskKey is not null)
        {
            for (int i = 0; i < payload.Length; i++)
            {
                frame[offset + i] ^= maskKey[i & 3];
            }
        }

        return frame;
    }

    /// <summary>The next frame from the bridge; null when the connection ended without one.</summary>
    /// <exception cref="IOException">The connection was reset.</exception>
    public async Task<WebSocketFrame?> ReceiveFrameAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        if (!await FillAsync(2, cancellation.Token))
        {
            return null;
        }

        byte first = _buffer[_start];
        byte second = _buffer[_start + 1];
        Assert.True((second & 0x80) == 0, "a server frame must not be masked");
        int lengthBytes = (second & 0x7f) switch { 126 => 2, 127 => 8, _ => 0 };
        if (!await FillAsync(2 + lengthBytes, cancellation.Token))
        {
            return null;
        }

        long length = lengthBytes switch
        {
            0 => second & 0x7f,
            2 => BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2)),
            _ => (long)BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2)),
        };
        Assert.True(length <= _buffer.Length - 10, $"frame of {length} bytes is larger than this client reads");
        if (!await FillAsync(2 + lengthBytes + (int)length, cancellation.Token))
        {
            return null;
        }

        byte[] payload = _buffer.AsSpan(_start + 2 + lengthBytes, (int)length).ToArray();
        _start += 2 + lengthBytes + (int)length;
        return new WebSocketFrame((first & 0x80) != 0, first & 0x0f, payload);
    }

    /// <summary>Whole messages, continuation frames joined; control frames are returned as they come.</summary>
    public async Task<WebSocketFrame?> ReceiveMessageAsync(TimeSpan? timeout = null)
    {
        WebSocketFrame? frame = await ReceiveFrameAsync(timeout);
        if (frame is null || frame.Fin || frame.Opcode >= WebSocketFrame.Close)
        {
            return frame;
        }

        var payload = new MemoryStream();
        payload.Write(frame.Payload);
        int opcode = frame.Opcode;
        while (true)
        {
            WebSocketFrame? next = await ReceiveFrameAsync(timeout);
            if (next is null)
            {
                return null;
            }

            Assert.Equal(WebSocketFrame.Continuation, next.Opcode);
            payload.Write(next.Payload);
            if (next.Fin)
            {
                return new WebSocketFrame(true, opcode, payload.ToArray());
            }
        }
    }

    /// <summary>Half-closes the sending side (TCP FIN) and keeps reading.</summary>
    public void ShutdownSend() => _client.Client.Shutdown(SocketShutdown.Send);

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
