using System.Threading.Channels;
using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// Runs one provisioning on a fake clock: each time the client announces its next attempt, waits until
/// the client really waits for that instant, then moves the clock there (never past the run's budget).
/// </summary>
internal static class FakeClockDriver
{
    public static readonly TimeSpan RealTimeout = TimeSpan.FromSeconds(30);

    /// <param name="hangs">Requests that will only end by the attempt timeout; the clock then moves by attemptTimeout.</param>
    public static async Task<RunOutcome> RunAsync(
        BackOfficeClient client,
        TimerTrackingTimeProvider time,
        ProvisionRequest request,
        BackOfficeOptions options,
        List<RunProgress> progressLog,
        ChannelReader<RecordedRequest>? hangs = null,
        CancellationToken cancellationToken = default)
    {
        var progress = Channel.CreateUnbounded<RunProgress>();
        DateTimeOffset deadline = time.GetUtcNow() + options.RunBudget;
        Task<RunOutcome> run = client.RunAsync(
            request,
            p =>
            {
                lock (progressLog)
                {
                    progressLog.Add(p);
                }

                progress.Writer.TryWrite(p);
            },
            cancellationToken);

        while (true)
        {
            Task<bool> nextProgress = progress.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
            Task nextHang = hangs?.WaitToReadAsync(CancellationToken.None).AsTask() ?? Task.Delay(Timeout.InfiniteTimeSpan, CancellationToken.None);
            try
            {
                await Task.WhenAny(run, nextProgress, nextHang).WaitAsync(RealTimeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(Stalled(time, progressLog));
            }
            if (progress.Reader.TryRead(out RunProgress? p))
            {
                if (p.Kind != RunProgressKind.AttemptStarted && p.NextAttemptAt > time.GetUtcNow())
                {
                    await time.WaitForTimerAtAsync(p.NextAttemptAt, RealTimeout);
                    time.Advance((p.NextAttemptAt < deadline ? p.NextAttemptAt : deadline) - time.GetUtcNow());
                }
            }
            else if (hangs is not null && hangs.TryRead(out _))
            {
                time.Advance(options.AttemptTimeout);
            }
            else if (run.IsCompleted)
            {
                return await run;
            }
        }
    }

    /// <summary>What a run that stopped moving had done, for the failure message.</summary>
    private static string Stalled(TimerTrackingTimeProvider time, List<RunProgress> progressLog)
    {
        lock (progressLog)
        {
            IEnumerable<string> steps = progressLog.Select(p => $"{p.Kind} #{p.Attempt} {p.Status} next {p.NextAttemptAt:O} ({p.Reason})");
            return $"The run neither progressed nor ended within {RealTimeout} (real time). Fake clock at {time.GetUtcNow():O}; "
                + $"pending timers: [{string.Join(", ", time.PendingDueTimes())}]; progress: [{string.Join("; ", steps)}]";
        }
    }
}
