using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Tests.Engine;

/// <summary>Publish and subscribe: order, no gaps, what is announced, and slow subscribers dropped alone.</summary>
public sealed class StateBroadcasterTests
{
    private readonly StateBroadcaster _broadcaster = new(NullLogger.Instance);

    [Fact]
    public void Subscribe_GetsTheCurrentStateFirstThenEveryChangeInOrder()
    {
        _broadcaster.Publish(s => s with { Status = 503 }, StateChange.AttemptFailed);
        using StateSubscription subscription = _broadcaster.Subscribe(16);

        _broadcaster.Publish(s => s with { Phase = EnginePhase.Running }, StateChange.AttemptStarted);
        _broadcaster.Publish(s => s with { Status = 200, Labels = ["a"] }, StateChange.RunEnded);

        EngineState[] seen = Drain(subscription);
        Assert.Equal([StateChange.Current, StateChange.AttemptStarted, StateChange.RunEnded], seen.Select(s => s.Change));
        Assert.Equal([1L, 2, 3], seen.Select(s => s.Sequence));
        Assert.Equal([503, 503, 200], seen.Select(s => s.Status));
    }

    [Fact]
    public void Publish_AnnouncesRunEndsAndStatusOrLabelChangesOnly()
    {
        bool attemptStarted = _broadcaster.Publish(s => s with { Phase = EnginePhase.Running }, StateChange.AttemptStarted).IsAnnounced;
        bool statusChanged = _broadcaster.Publish(s => s with { Status = 503 }, StateChange.AttemptFailed).IsAnnounced;
        bool sameStatusAgain = _broadcaster.Publish(s => s with { Status = 503 }, StateChange.AttemptFailed).IsAnnounced;
        bool labelsChanged = _broadcaster.Publish(s => s with { Labels = ["a"] }, StateChange.IndexChanged).IsAnnounced;
        bool runEndedUnchanged = _broadcaster.Publish(s => s, StateChange.RunEnded).IsAnnounced;

        Assert.Equal([false, true, false, true, true], [attemptStarted, statusChanged, sameStatusAgain, labelsChanged, runEndedUnchanged]);
    }

    [Fact]
    public void Subscribe_TheFirstStateIsNeverAnnounced()
    {
        _broadcaster.Publish(s => s with { Status = 200 }, StateChange.RunEnded);
        using StateSubscription subscription = _broadcaster.Subscribe(4);

        Assert.True(subscription.Reader.TryRead(out EngineState? first));
        Assert.False(first.IsAnnounced);
        Assert.True(_broadcaster.Current.IsAnnounced);
    }

    [Fact]
    public async Task Publish_ASubscriberThatFallsBehind_IsDroppedAndTheOthersKeepEveryChange()
    {
        using StateSubscription slow = _broadcaster.Subscribe(2);
        using StateSubscription fast = _broadcaster.Subscribe(100);

        for (int i = 1; i <= 10; i++)
        {
            _broadcaster.Publish(s => s with { Status = i }, StateChange.AttemptFailed);
        }

        Assert.Equal(11, Drain(fast).Length);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<SubscriberOverflowException>(async () =>
        {
            await foreach (EngineState _ in slow.Reader.ReadAllAsync(patience.Token))
            {
            }
        });
    }

    [Fact]
    public void Dispose_StopsTheDelivery()
    {
        StateSubscription subscription = _broadcaster.Subscribe(4);
        subscription.Dispose();

        _broadcaster.Publish(s => s with { Status = 1 }, StateChange.AttemptFailed);

        Assert.Single(Drain(subscription));
        Assert.True(subscription.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Complete_EndsEverySubscriptionAndLaterOnesGetTheLastStateOnly()
    {
        using StateSubscription before = _broadcaster.Subscribe(4);
        _broadcaster.Publish(s => s with { Status = 200 }, StateChange.RunEnded);

        _broadcaster.Complete();
        using StateSubscription after = _broadcaster.Subscribe(4);

        Assert.Equal(2, Drain(before).Length);
        Assert.True(before.Reader.Completion.IsCompleted);
        EngineState only = Assert.Single(Drain(after));
        Assert.Equal(200, only.Status);
        Assert.True(after.Reader.Completion.IsCompleted);
    }

    private static EngineState[] Drain(StateSubscription subscription)
    {
        var states = new List<EngineState>();
        while (subscription.Reader.TryRead(out EngineState? state))
        {
            states.Add(state);
        }

        return [.. states];
    }
}
