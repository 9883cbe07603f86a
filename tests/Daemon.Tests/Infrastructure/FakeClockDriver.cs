using Microsoft.Extensions.Time.Testing;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>Moves a test's fake clock while real work (sockets, the engine's loop) catches up with it.</summary>
public static class FakeClockDriver
{
    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="work"/> ends (what it waits for
    /// may not have armed its timer yet, so one jump is not enough); fails after <paramref name="patience"/> of real time.
    /// </summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(FakeTimeProvider time, TimeSpan step, Task<T> work, TimeSpan patience)
    {
        using var giveUp = new CancellationTokenSource(patience);
        while (!work.IsCompleted)
        {
            giveUp.Token.ThrowIfCancellationRequested();
            time.Advance(step);
            await Task.WhenAny(work, Task.Delay(10, giveUp.Token));
        }

        return await work;
    }
}
