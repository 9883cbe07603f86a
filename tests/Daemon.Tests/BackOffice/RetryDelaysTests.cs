using Provisioning.Daemon.BackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class RetryDelaysTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public void Backoff_ConsecutiveFailures_DoublesUntilTheCap()
    {
        TimeSpan[] delays = [.. Enumerable.Range(1, 7).Select(n => RetryDelays.Backoff(RetryJitter.Equal, n, TimeSpan.Zero, Base, Max, random: 0.999999))];

        Assert.Equal([1, 2, 4, 8, 10, 10, 10], delays.Select(d => Math.Round(d.TotalSeconds)));
    }

    [Theory]
    [InlineData(0.0, 2.0)]
    [InlineData(0.5, 3.0)]
    [InlineData(0.75, 3.5)]
    public void Backoff_Random_KeepsBetweenHalfAndAllOfTheNominalDelay(double random, double expectedSeconds)
    {
        TimeSpan delay = RetryDelays.Backoff(RetryJitter.Equal, 3, TimeSpan.Zero, Base, Max, random);

        Assert.Equal(expectedSeconds, delay.TotalSeconds, precision: 3);
    }

    [Fact]
    public void Backoff_AnyRandom_GrowsWithEachFailureAndNeverPassesTheCap()
    {
        var random = new Random(7);
        TimeSpan previous = TimeSpan.Zero;
        for (int failures = 1; failures <= 4; failures++)
        {
            TimeSpan delay = RetryDelays.Backoff(RetryJitter.Equal, failures, TimeSpan.Zero, Base, Max, random.NextDouble());
            Assert.True(delay >= previous, $"failure {failures}: {delay} < {previous}");
            previous = delay;
        }

        for (int failures = 1; failures <= 100; failures++)
        {
            Assert.InRange(RetryDelays.Backoff(RetryJitter.Equal, failures, TimeSpan.Zero, Base, Max, random.NextDouble()), TimeSpan.Zero, Max);
        }
    }

    [Theory]
    [InlineData(0.0, 0.001)]
    [InlineData(0.5, 2.0)]
    [InlineData(0.75, 3.0)]
    public void Backoff_FullJitter_KeepsAnyShareOfTheNominalDelay(double random, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, RetryDelays.Backoff(RetryJitter.Full, 3, TimeSpan.Zero, Base, Max, random).TotalSeconds, precision: 3);

    [Theory]
    [InlineData(0, 0.0, 1.0)]
    [InlineData(0, 0.5, 2.0)]
    [InlineData(2, 0.5, 3.5)]
    [InlineData(3, 0.5, 5.0)]
    [InlineData(8, 0.999999, 10.0)]
    public void Backoff_DecorrelatedJitter_DrawsBetweenTheBaseAndThreeTimesThePreviousWait(int previousSeconds, double random, double expectedSeconds) =>
        Assert.Equal(
            expectedSeconds,
            RetryDelays.Backoff(RetryJitter.Decorrelated, 5, TimeSpan.FromSeconds(previousSeconds), Base, Max, random).TotalSeconds,
            precision: 3);

    [Fact]
    public void Next_RetryAfterLongerThanBackoff_WaitsRetryAfterAndTheTimersSlack() =>
        Assert.Equal(TimeSpan.FromSeconds(7) + RetryDelays.TimerSlack, RetryDelays.Next(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7), Max));

    [Fact]
    public void Next_BackoffWithinTheSlackAboveRetryAfter_StillWaitsTheSlack() =>
        Assert.Equal(TimeSpan.FromSeconds(7) + RetryDelays.TimerSlack, RetryDelays.Next(TimeSpan.FromMilliseconds(7_001), TimeSpan.FromSeconds(7), Max));

    [Fact]
    public void Next_RetryAfterShorterThanBackoff_KeepsTheBackoff() =>
        Assert.Equal(TimeSpan.FromSeconds(5), RetryDelays.Next(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), Max));

    [Fact]
    public void Next_RetryAfterBeyondTheCap_WaitsTheCap() =>
        Assert.Equal(Max, RetryDelays.Next(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1), Max));
}
