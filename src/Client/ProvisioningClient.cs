using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using Provisioning.Contracts.V1;
using Rpc = Provisioning.Contracts.V1.Provisioning;

namespace Provisioning.Client;

/// <summary>
/// Talks to provisioningd over its Unix domain socket. Thread-safe; create one per process (or take
/// it from dependency injection with <c>services.AddProvisioningClient()</c>).
/// Failed calls throw <see cref="ProvisioningException"/> or one of its subclasses:
/// <see cref="ProvisioningInProgressException"/>, <see cref="ProvisioningUnavailableException"/>,
/// <see cref="ProvisioningPermissionDeniedException"/>, <see cref="DaemonUnreachableException"/>.
/// </summary>
public sealed class ProvisioningClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Rpc.ProvisioningClient _client;
    private readonly ProvisioningClientOptions _options;

    /// <summary>Creates a client for the daemon's default socket.</summary>
    public ProvisioningClient()
        : this(new ProvisioningClientOptions())
    {
    }

    /// <summary>Creates a client with the given options.</summary>
    /// <param name="options">The socket path and reconnection behaviour.</param>
    public ProvisioningClient(ProvisioningClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.SocketPath);
        _options = options;
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = UnixSocketConnector.CreateHandler(options.SocketPath),
            DisposeHttpClient = true,
        });
        _client = new Rpc.ProvisioningClient(_channel);
    }

    /// <summary>The socket this client talks to.</summary>
    public string SocketPath => _options.SocketPath;

    /// <summary>The underlying channel, for calling other services on the same socket (e.g. grpc.health.v1).</summary>
    public GrpcChannel Channel => _channel;

    /// <summary>Gets the current state: provision ID, status, labels, phase, attempts, expiry and chosen slots.</summary>
    /// <param name="cancellationToken">Cancels the call (<see cref="OperationCanceledException"/>; a timeout is a token that cancels itself).</param>
    /// <returns>The state, with <see cref="State.Change"/> set to <see cref="Change.Current"/>.</returns>
    public Task<State> GetStateAsync(CancellationToken cancellationToken = default) =>
        CallAsync(() => _client.GetStateAsync(new GetStateRequest(), cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Gets the device's provision ID.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The provision ID; empty when the daemon cannot read the device identity.</returns>
    public async Task<string> GetIdAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => _client.GetIdAsync(new GetIdRequest(), cancellationToken: cancellationToken), cancellationToken)).Id;

    /// <summary>Starts a provisioning run. Needs an Authorization:Provision rule naming the caller.</summary>
    /// <param name="wait">False: return once the run is accepted. True: return when the run ends, with its outcome.</param>
    /// <param name="cancellationToken">Cancels the call (and the wait); the run itself goes on.</param>
    /// <returns>Whether the call waited, and the state (at the end of the run when it waited).</returns>
    /// <exception cref="ProvisioningInProgressException">A run is already in progress.</exception>
    /// <exception cref="ProvisioningUnavailableException">The daemon has no usable back-office client.</exception>
    /// <exception cref="ProvisioningPermissionDeniedException">The caller is not allowed to provision.</exception>
    public Task<ProvisionResponse> ProvisionAsync(bool wait = false, CancellationToken cancellationToken = default) =>
        CallAsync(() => _client.ProvisionAsync(new ProvisionRequest { Wait = wait }, cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Chooses the key slot of a label. Needs an Authorization:Provision rule naming the caller.</summary>
    /// <param name="label">The label; null chooses the slot of every label.</param>
    /// <param name="index">The 0-based slot; null means slot 0.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the choice is stored.</returns>
    /// <exception cref="ProvisioningException">With <see cref="ProvisioningException.Field"/> <c>label</c> or <c>index</c> when one is invalid.</exception>
    public async Task SetIndexAsync(string? label, int? index, CancellationToken cancellationToken = default)
    {
        var request = new SetIndexRequest();
        if (label is not null)
        {
            request.Label = label;
        }

        if (index is { } i)
        {
            request.Index = i;
        }

        await CallAsync(() => _client.SetIndexAsync(request, cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>Reads the key of a label's chosen slot. Needs an Authorization:Keys rule for the label. The key is a secret.</summary>
    /// <param name="label">The label.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The label, the chosen slot and the key bytes.</returns>
    public Task<GetKeyResponse> GetKeyAsync(string label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        return CallAsync(() => _client.GetKeyAsync(new GetKeyRequest { Label = label }, cancellationToken: cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Streams the state: the current state first, then every change in order. When the daemon restarts
    /// or ends the stream (also when this watcher fell too far behind), the enumeration reconnects with
    /// back-off and goes on with the current state (<see cref="Change.Current"/>), so the latest state is
    /// never lost; sequence numbers start again after a daemon restart. Ends only when cancelled, or with a
    /// <see cref="ProvisioningException"/> the daemon means as final (e.g. permission denied), or with a
    /// <see cref="ProvisioningPermissionDeniedException"/> when the socket's file does not let this caller connect.
    /// </summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The states, as they are published.</returns>
    public async IAsyncEnumerable<State> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        TimeSpan delay = _options.ReconnectDelay;
        while (true)
        {
            using (AsyncServerStreamingCall<State> call = _client.WatchState(new WatchStateRequest(), cancellationToken: cancellationToken))
            {
                while (await NextAsync(call.ResponseStream, cancellationToken) is { } state)
                {
                    delay = _options.ReconnectDelay;
                    yield return state;
                }
            }

            await Task.Delay(delay, _options.TimeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>Closes the connection to the daemon.</summary>
    public void Dispose() => _channel.Dispose();

    /// <summary>The next state, or null when the stream ended in a way that a reconnect repairs.</summary>
    private async Task<State?> NextAsync(IAsyncStreamReader<State> stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNext(cancellationToken) ? stream.Current : null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && IsTransient(e))
        {
            return null;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw ErrorTranslator.Translate(e, _options.SocketPath);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            // The caller cancelled: say so the .NET way, not with gRPC's status.
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
    }

    /// <summary>
    /// Whether a watch's reconnect can repair the failure: the daemon went away or ended the stream, but not a socket
    /// the caller may not open (that stays so until the daemon's Grpc:SocketGroup or the caller's groups change).
    /// </summary>
    internal static bool IsTransient(RpcException e) =>
        (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.ResourceExhausted
            or StatusCode.Aborted or StatusCode.Unknown or StatusCode.DeadlineExceeded)
        && !ErrorTranslator.IsSocketAccessDenied(e);

    private async Task<T> CallAsync<T>(Func<AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled: say so the .NET way, not with gRPC's status.
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw ErrorTranslator.Translate(e, _options.SocketPath);
        }
    }
}
