using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The wire habits of Thunder's native C++ client (JSONRPC::LinkType, R4.4): its upgrade request byte for byte and
/// unmasked frames. Just enough of a client for the benchmark: whole messages, frames of the bridge read back.
/// </summary>
internal sealed class NativeSocket
{
    private readonly Socket _socket;
    private readonly byte[] _header = new byte[10];
    private readonly byte[] _frameHeader = new byte[4];

    private NativeSocket(Socket socket) => _socket = socket;

    public static async Task<NativeSocket> ConnectAsync(Uri uri)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(uri.Host, uri.Port);
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        string upgrade =
            $"GET {uri.AbsolutePath} HTTP/1.1\r\nHost: {uri.Host}\r\nConnection: UPGRADE\r\nUpgrade: WEBSOCKET\r\nOrigin: 0.0.0.0\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Protocol: JSON\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(upgrade));
        var head = new StringBuilder();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await socket.ReceiveAsync(one) == 0)
            {
                throw new IOException("the bridge closed the connection during the upgrade");
            }

            head.Append((char)one[0]);
        }

        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException("upgrade refused: " + head);
        }

        return new NativeSocket(socket);
    }

    /// <summary>One text frame, FIN set, no mask: <c>81 len payload</c> (126 + 16-bit length above 125 bytes).</summary>
    public async Task SendUnmaskedAsync(byte[] payload)
    {
        int headerLength = payload.Length <= 125 ? 2 : 4;
        _frameHeader[0] = 0x81;
        if (headerLength == 2)
        {
            _frameHeader[1] = (byte)payload.Length;
        }
        else
        {
            _frameHeader[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(_frameHeader.AsSpan(2), (ushort)payload.Length);
        }

        await _socket.SendAsync(new List<ArraySegment<byte>> { new(_frameHeader, 0, headerLength), new(payload) });
    }

    /// <summary>Reads frames until a final one; returns the message length in <paramref name="buffer"/>.</summary>
    public async Task<int> ReceiveMessageAsync(byte[] buffer)
    {
        int count = 0;
        while (true)
        {
            await ReadExactlyAsync(_header.AsMemory(0, 2));
            bool fin = (_header[0] & 0x80) != 0;
            int code = _header[1] & 0x7f;
            long length = code;
            if (code == 126)
            {
                await ReadExactlyAsync(_header.AsMemory(2, 2));
                length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            }
            else if (code == 127)
            {
                await ReadExactlyAsync(_header.AsMemory(2, 8));
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
            }

            await ReadExactlyAsync(buffer.AsMemory(count, (int)length));
            count += (int)length;
            if (fin)
            {
                return count;
            }
        }
    }

    /// <summary>The native client's close: <c>88 00</c>, then the bridge's close frame.</summary>
    public async Task CloseAsync()
    {
        await _socket.SendAsync(new byte[] { 0x88, 0x00 });
        byte[] rest = new byte[256];
        while (await _socket.ReceiveAsync(rest) > 0)
        {
        }

        _socket.Dispose();
    }

    private async Task ReadExactlyAsync(Memory<byte> target)
    {
        while (!target.IsEmpty)
        {
            int read = await _socket.ReceiveAsync(target);
            if (read == 0)
            {
                throw new IOException("the bridge closed the connection");
            }

            target = target[read..];
        }
    }
}
