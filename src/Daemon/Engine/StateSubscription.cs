using System.Threading.Channels;

namespace Provisioning.Daemon.Engine;

/// <summary>
/// One subscriber's view of the state stream: the current state first, then every change in order.
/// When the subscriber falls more than its capacity behind, the reader completes with
/// <see cref="SubscriberOverflowException"/> instead of slowing the engine.
/// </summary>
internal sealed class StateSubscription : IDisposable
{
    private readonly Action<StateSubscription> _onDispose;

    internal StateSubscription(Channel<EngineState> channel, Action<StateSubscription> onDispose)
    {
        Channel = channel;
        _onDispose = onDispose;
    }

    internal Channel<EngineState> Channel { get; }

    public ChannelReader<EngineState> Reader => Channel.Reader;

    public void Dispose() => _onDispose(this);
}
