using System.Buffers.Binary;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// The upgraded connection as the server's <see cref="System.Net.WebSockets.WebSocket"/> reads it. Thunder's native
/// C++ client sends its frames unmasked, which RFC 6455 forbids and the managed WebSocket answers with close 1002;
/// Thunder's own server accepts them. This stream follows the client's frames header by header: an unmasked frame
/// gets the mask bit and a zero masking key in its header (XOR with zero leaves the payload as it is, so payload
/// bytes pass straight through into the reader's buffer, uncopied); a masked frame passes unchanged. Knowing where
/// each frame ends also lets the session read off what the peer still sends after a close, so that closing the
/// connection never resets it while the close frame is on its way. The server's frames pass through on the way
/// out, and nothing follows a close frame. Disposing it leaves the transport open: the session still drains it
/// after the WebSocket gave up, and the server closes it when the request ends. A 64-bit length with its top bit
/// set (RFC 6455 5.2 forbids it; the WebSocket refuses the frame with 1002 on its header, before any payload) loses
/// track of the frames: the drain then stops as soon as the peer pauses instead of waiting for a close frame it
/// can no longer recognise.
/// </summary>
internal sealed class ClientFrameStream(Stream transport) : Stream
{
    private const int MaskBit = 0x80;
    private const int CloseOpcode = 0x8;
    private const int MaxHeaderLength = 14;

    /// <summary>
    /// Once the frames cannot be followed, how long the peer may stay silent before the drain takes it as done: long
    /// enough for its answer to our close frame to arrive, short enough that the connection ends promptly.
    /// </summary>
    public static readonly TimeSpan UnframedQuietTime = TimeSpan.FromMilliseconds(250);

    // The header as it arrives (at most 10 bytes unmasked, 14 masked), then as handed on (the same plus 4 zero bytes).
    private readonly byte[] _header = new byte[MaxHeaderLength];
    private readonly byte[] _output = new byte[MaxHeaderLength];
    private int _headerRead;
    private int _headerLength = 2;
    private int _outputStart;
    private int _outputEnd;
    private long _payloadLeft;
    private bool _inCloseFrame;
    private bool _closeSent;

    /// <summary>Called when a data frame's header announces more payload than <see cref="MaxDataPayload"/>, before any of it arrives.</summary>
    public Action? DataFrameTooLarge { get; set; }

    /// <summary>The largest payload a data frame may announce (the session's message limit).</summary>
    public long MaxDataPayload { get; init; } = long.MaxValue;

    /// <summary>A close frame from the peer has passed through whole: nothing more is due from it.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>A frame claimed a length RFC 6455 forbids (64 bits with the top bit set): where the peer's frames end is unknown from there on.</summary>
    public bool FramingLost { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            // A zero-byte read waits for data without taking any.
            return _outputEnd > _outputStart ? 0 : await transport.ReadAsync(buffer, cancellationToken);
        }

        while (true)
        {
            if (_outputEnd > _outputStart)
            {
                int count = Math.Min(buffer.Length, _outputEnd - _outputStart);
                _output.AsSpan(_outputStart, count).CopyTo(buffer.Span);
                _outputStart += count;
                return count;
            }

            if (_payloadLeft > 0)
            {
                int read = await transport.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _payloadLeft)], cancellationToken);
                _payloadLeft -= read;
                PeerClosed |= _inCloseFrame && _payloadLeft == 0;
                return read;
            }

            int got = await transport.ReadAsync(_header.AsMemory(_headerRead, _headerLength - _headerRead), cancellationToken);
            if (got == 0)
            {
                return 0;
            }

            _headerRead += got;
            if (_headerRead == 2)
            {
                int lengthCode = _header[1] & 0x7f;
                _headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((_header[1] & MaskBit) != 0 ? 4 : 0);
            }

            if (_headerRead == _headerLength)
            {
                NextFrame();
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Reads and drops whatever the peer still sends, until its close frame has arrived or it ends the connection;
    /// after <see cref="FramingLost"/>, until it is silent for <see cref="UnframedQuietTime"/>.
    /// </summary>
    public async Task DrainAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        byte[] scratch = new byte[256];
        while (!PeerClosed)
        {
            if (!FramingLost)
            {
                if (await ReadAsync(scratch, cancellationToken) == 0)
                {
                    return;
                }

                continue;
            }

            using var silence = new CancellationTokenSource(UnframedQuietTime, timeProvider);
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
            try
            {
                if (await transport.ReadAsync(scratch, quiet.Token) == 0)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Writes one server frame (the WebSocket writes each frame whole, under its send lock). Nothing goes out after a
    /// close frame (RFC 6455 5.5.1): when the WebSocket closes on its own over a refused frame, a send that passed its
    /// state check just before would otherwise follow the close frame onto the wire.
    /// </summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_closeSent || buffer.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        _closeSent = (buffer.Span[0] & 0x0f) == CloseOpcode;
        return transport.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => transport.FlushAsync(cancellationToken);

    public override void Flush() => transport.Flush();

    // The WebSocket reads and writes asynchronously only.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("ClientFrameStream is read asynchronously.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("ClientFrameStream is written asynchronously.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();


    /// <summary>A whole header has arrived: hand it on (masked if it was not) and follow the payload it announces.</summary>
    private void NextFrame()
    {
        int lengthCode = _header[1] & 0x7f;
        long length = lengthCode switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),

            // A length with the top bit set breaks RFC 6455: the WebSocket refuses the frame on its header. Its
            // payload is not followed (nothing waits for it), and the frames after it cannot be found.
            127 => BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(2)),
            _ => lengthCode,
        };
        if (length < 0)
        {
            FramingLost = true;
            length = 0;
        }

        _header.AsSpan(0, _headerLength).CopyTo(_output);
        _outputEnd = _headerLength;
        if ((_header[1] & MaskBit) == 0)
        {
            _output[1] |= MaskBit;
            _output.AsSpan(_headerLength, 4).Clear();
            _outputEnd += 4;
        }

        // Text, binary and continuation frames: one that announces more than a message may hold is refused on its
        // header, not once that much has arrived (a peer could announce a terabyte and send nothing).
        if (length > MaxDataPayload && (_header[0] & 0x0f) is 0x0 or 0x1 or 0x2)
        {
            DataFrameTooLarge?.Invoke();
        }

        _outputStart = 0;
        _payloadLeft = length;
        _inCloseFrame = (_header[0] & 0x0f) == CloseOpcode;
        PeerClosed |= _inCloseFrame && length == 0 && !FramingLost;
        _headerRead = 0;
        _headerLength = 2;
    }
}
