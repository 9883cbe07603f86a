using Grpc.Core;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// The token of a call that waits (a watch, a Provision that waits for its run): it ends when the caller goes away or
/// the daemon starts stopping. A stopping daemon ends such calls (UNAVAILABLE, <see cref="GrpcErrors.Stopping"/>, so
/// clients come back) instead of keeping its shutdown waiting for the server's whole grace period: the listeners
/// stop before the engine, which alone ends a run.
/// </summary>
internal sealed class CallUntilStopping(ServerCallContext context, IHostApplicationLifetime lifetime) : IDisposable
{
    private readonly CancellationTokenSource _waiting =
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);

    public CancellationToken Token => _waiting.Token;

    /// <summary>True when the token ended because the daemon is stopping, not because the caller went away.</summary>
    public bool IsStopping =>
        lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested;

    public void Dispose() => _waiting.Dispose();
}
