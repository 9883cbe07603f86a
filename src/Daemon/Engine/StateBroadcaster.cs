using System.Collections.Immutable;
using System.Threading.Channels;

namespace Provisioning.Daemon.Engine;

/// <summary>
/// The engine's published state and its subscribers. Every change becomes the next immutable snapshot with
/// the next sequence number and goes to every subscriber without waiting: a subscriber whose queue is full is
/// dropped (its reader ends with <see cref="SubscriberOverflowException"/>) rather than slowing the engine.
/// </summary>
internal sealed class StateBroadcaster(ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly List<StateSubscription> _subscribers = [];
    private volatile EngineState _current = Initial();
    private bool _completed;

    /// <summary>The latest published state; cheap to read from any thread.</summary>
    public EngineState Current => _current;

    /// <summary>Subscribes to the state stream: the current state first, then every change in order.</summary>
    public StateSubscription Subscribe(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var channel = Channel.CreateBounded<EngineState>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var subscription = new StateSubscription(channel, Unsubscribe);
        lock (_lock)
        {
            channel.Writer.TryWrite(_current with { Change = StateChange.Current, IsAnnounced = false });
            if (_completed)
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

    /// <summary>Publishes the next state: <paramref name="change"/> applied to the current one.</summary>
    public EngineState Publish(Func<EngineState, EngineState> change, StateChange reason)
    {
        EngineState next;
        lock (_lock)
        {
            EngineState previous = _current;
            next = change(previous) with { Sequence = previous.Sequence + 1, Change = reason };
            bool statusOrLabels = next.Status != previous.Status || !next.Labels.SequenceEqual(previous.Labels);
            next = next with { IsAnnounced = reason == StateChange.RunEnded || statusOrLabels };
            _current = next;
            for (int i = _subscribers.Count - 1; i >= 0; i--)
            {
                StateSubscription subscriber = _subscribers[i];
                if (!subscriber.Channel.Writer.TryWrite(next))
                {
                    _subscribers.RemoveAt(i);
                    subscriber.Channel.Writer.TryComplete(new SubscriberOverflowException());
                    EngineLog.SubscriberDropped(logger, next.Sequence);
                }
            }
        }

        EngineLog.Transition(logger, next.Sequence, reason, next.Phase, next.Status, next.Labels.Length);
        return next;
    }

    /// <summary>Ends every subscription; later subscribers get the last state and an ended stream.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (StateSubscription subscriber in _subscribers)
            {
                subscriber.Channel.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }

    private void Unsubscribe(StateSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }

        subscription.Channel.Writer.TryComplete();
    }

    private static EngineState Initial() => new()
    {
        Sequence = 0,
        Change = StateChange.Current,
        Id = string.Empty,
        Status = 0,
        Labels = [],
        Phase = EnginePhase.Starting,
        Indexes = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
    };
}
