using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// One WebSocket connection: its bounded outgoing queue and its close (its event registrations are in the
/// EventHub). Only the writer
/// loop sends on the socket, so responses and notifications never interleave mid-frame.
/// </summary>
internal sealed class WebSocketSession : IDisposable
{
    /// <summary>How long a peer has to take our close frame and answer it before the connection is cut.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(10);

    // A stopping daemon waits less for the peer's half of the close handshake.
    private static readonly TimeSpan StoppingCloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly Action _abortConnection;
    private readonly Channel<OutgoingFrame> _outgoing;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly LogThrottle _overflowLog;
    private readonly CancellationTokenSource _receiveStop = new();
    private ITimer? _abortTimer;
    private int _closeStatus;
    private string _closeReason = string.Empty;

    /// <param name="abortConnection">Cuts the TCP connection (HttpContext.Abort), for a peer that stalls the close.</param>
    /// <param name="overflowLog">The throttle of the overflow's log line, shared by every session.</param>
    public WebSocketSession(WebSocket socket, string connectionId, JsonRpcOptions options, TimeProvider timeProvider, Action abortConnection, ILogger logger, LogThrottle overflowLog)
    {
        _overflowLog = overflowLog;
        _socket = socket;
        _abortConnection = abortConnection;
        ConnectionId = connectionId;
        _timeProvider = timeProvider;
        _logger = logger;
        _outgoing = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(options.OutgoingQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string ConnectionId { get; }

    /// <summary>Cancelled when sending failed or the daemon stops; the receive loop stops then.</summary>
    public CancellationToken Closing => _receiveStop.Token;

    /// <summary>
    /// Sends the answer to the peer's own request, after what is queued before it, and returns once the socket
    /// has taken it; false when the session closes first. The receive loop reads the next frame only then: a
    /// frame the WebSocket refuses (1002, 1007) makes it send its close frame at once, and the answers to the
    /// calls before that frame must already be out, as must an answer before the peer's end of the connection.
    /// Waiting here also slows a peer that sends a burst of calls to the pace at which it reads its answers;
    /// only a peer that stops reading altogether is closed with 1008, once its answer waits past the close grace.
    /// </summary>
    public async ValueTask<bool> SendReplyAsync(byte[] frame, CancellationToken cancellationToken)
    {
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stalled.CancelAfter(CloseGrace);
        try
        {
            await _outgoing.Writer.WriteAsync(new OutgoingFrame(frame, Params: null, sent), stalled.Token);
            return await sent.Task.WaitAsync(stalled.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            CloseOverflowed();
            return false;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Queues a notification, its frame made of the registration's prefix and the event's params, both shared, when
    /// it goes out: what a queue holds is two references a frame, whatever the ids' length, so every session's
    /// queue full at once stays small. A full queue means the peer does not read, and the session closes with 1008.
    /// </summary>
    public bool EnqueueNotification(byte[] prefix, byte[] parameters)
    {
        if (_outgoing.Writer.TryWrite(new OutgoingFrame(prefix, parameters, Sent: null)))
        {
            return true;
        }

        CloseOverflowed();
        return false;
    }

    /// <summary>A close was asked for (<see cref="Close"/>).</summary>
    public bool IsClosing => Volatile.Read(ref _closeStatus) != 0;

    /// <summary>Asks the writer to send a close frame after the frame in flight (the first reason wins).</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.CompareExchange(ref _closeStatus, (int)status, 0) == 0)
        {
            _closeReason = reason;
            _outgoing.Writer.TryComplete();

            // A peer that stopped reading blocks the send in flight and cannot take the close frame either.
            TimeSpan grace = status == WebSocketCloseStatus.EndpointUnavailable ? StoppingCloseGrace : CloseGrace;
            _abortTimer = _timeProvider.CreateTimer(static state => ((WebSocketSession)state!).Abort(), this, grace, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        _abortTimer?.Dispose();
        _receiveStop.Dispose();
    }

    /// <summary>Ends the session normally: the queue drains, then the close handshake completes.</summary>
    public void Complete() => _outgoing.Writer.TryComplete();

    public async Task RunWriterAsync(CancellationToken cancellationToken)
    {
        ChannelReader<OutgoingFrame> reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                // The WebSocket itself may have closed (a refused frame: 1002, 1007): then nothing more goes out.
                while (Volatile.Read(ref _closeStatus) == 0 && IsSendable && reader.TryRead(out OutgoingFrame frame))
                {
                    await SendAsync(frame, cancellationToken);
                    frame.Sent?.TrySetResult(true);
                }

                if (Volatile.Read(ref _closeStatus) != 0 || !IsSendable)
                {
                    break;
                }
            }

            await CloseSocketAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The socket is unusable or the daemon is stopping: stop the receive loop too. The connection is not cut
            // here: a close frame the WebSocket sent on its own may still be on its way, and the handler closes the
            // connection once the peer had its chance to read it.
            await _receiveStop.CancelAsync();
        }
        finally
        {
            // Nothing more goes out: an answer still queued is not sent, and its call is not waited for.
            _outgoing.Writer.TryComplete();
            while (reader.TryRead(out OutgoingFrame unsent))
            {
                unsent.Sent?.TrySetResult(false);
            }
        }
    }

    /// <summary>The peer does not take its frames: close with 1008, logged once per session (throttled across them).</summary>
    private void CloseOverflowed()
    {
        if (!IsClosing && _overflowLog.Admit(_logger))
        {
            JsonRpcLog.OutgoingQueueOverflow(_logger, ConnectionId);
        }

        Close(WebSocketCloseStatus.PolicyViolation, "outgoing queue overflow");
    }

    private bool IsSendable => _socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    private void Abort()
    {
        _socket.Abort();
        _abortConnection();
    }

    /// <summary>One text message: the frame as it is, or a notification's prefix, its params and the closing brace.</summary>
    private async ValueTask SendAsync(OutgoingFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Params is not { } parameters)
        {
            await _socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return;
        }

        int length = frame.Bytes.Length + parameters.Length + 1;
        byte[] composed = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.Bytes.CopyTo(composed, 0);
            parameters.CopyTo(composed, frame.Bytes.Length);
            composed[length - 1] = (byte)'}';
            await _socket.SendAsync(composed.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(composed);
        }
    }

    /// <param name="Bytes">The whole frame, or with <paramref name="Params"/> a notification's prefix.</param>
    /// <param name="Params">A notification's params, shared by every frame of its event.</param>
    /// <param name="Sent">For an answer: set once the socket took it (true) or the session ended first (false).</param>
    private readonly record struct OutgoingFrame(byte[] Bytes, byte[]? Params, TaskCompletionSource<bool>? Sent);

    private async Task CloseSocketAsync(CancellationToken cancellationToken)
    {
        if (!IsSendable)
        {
            return;
        }

        int status = Volatile.Read(ref _closeStatus);
        await _socket.CloseOutputAsync(
            status == 0 ? WebSocketCloseStatus.NormalClosure : (WebSocketCloseStatus)status,
            status == 0 ? null : _closeReason,
            cancellationToken);
    }
}
