using System.Threading.Channels;

namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    private readonly Lock _subscribersLock = new();
    private readonly List<StateSubscription> _subscribers = [];

    /// <summary>Subscribes to the state stream: the current state first, then every change in order.</summary>
    public StateSubscription Subscribe(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var channel = Channel.CreateBounded<EngineState>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var subscription = new StateSubscription(channel, Unsubscribe);
        lock (_subscribersLock)
        {
            channel.Writer.TryWrite(_current with { Change = StateChange.Current, IsProvisioningChange = false });
            if (_stopping)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(subscription);
            }
        }

        return subscription;
    }

    private void Unsubscribe(StateSubscription subscription)
    {
        lock (_subscribersLock)
        {
            _subscribers.Remove(subscription);
        }

        subscription.Channel.Writer.TryComplete();
    }

    /// <summary>
    /// The one place the state changes: the next snapshot gets the next sequence number and goes to every
    /// subscriber without waiting; a subscriber whose queue is full is dropped rather than slowing the engine.
    /// </summary>
    private void Publish(Func<EngineState, EngineState> change, StateChange reason)
    {
        EngineState next;
        lock (_subscribersLock)
        {
            EngineState previous = _current;
            next = change(previous) with { Sequence = previous.Sequence + 1, Change = reason };
            bool statusOrTokens = next.Status != previous.Status || !next.Tokens.SequenceEqual(previous.Tokens);
            next = next with { IsProvisioningChange = reason == StateChange.RunEnded || statusOrTokens };
            _current = next;
            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                StateSubscription subscriber = _subscribers[i];
                if (!subscriber.Channel.Writer.TryWrite(next))
                {
                    _subscribers.RemoveAt(i);
                    subscriber.Channel.Writer.TryComplete(new SubscriberOverflowException());
                    EngineLog.SubscriberDropped(_logger, next.Sequence);
                }
            }
        }

        EngineLog.Transition(_logger, next.Sequence, reason, next.Phase, next.Status, next.Tokens.Length);
    }

    private void CompleteSubscribers()
    {
        lock (_subscribersLock)
        {
            foreach (StateSubscription subscriber in _subscribers)
            {
                subscriber.Channel.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
