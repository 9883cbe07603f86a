using System.Globalization;

namespace Provisioning.BackOfficeSimulator;

internal static class RetryAfterHeader
{
    /// <summary>
    /// The header value, or null for none. The date form is rounded up to the whole second, so a client
    /// that honours it never waits less than <paramref name="seconds"/>.
    /// </summary>
    public static string? Format(int? seconds, RetryAfterFormat format, DateTimeOffset now)
    {
        if (seconds is not { } delta || format == RetryAfterFormat.None)
        {
            return null;
        }

        if (format == RetryAfterFormat.Seconds)
        {
            return delta.ToString(CultureInfo.InvariantCulture);
        }

        long remainder = now.UtcTicks % TimeSpan.TicksPerSecond;
        DateTimeOffset ceiling = remainder == 0 ? now : now.AddTicks(TimeSpan.TicksPerSecond - remainder);
        return ceiling.ToUniversalTime().AddSeconds(delta).ToString("r", CultureInfo.InvariantCulture);
    }

    public static void Apply(HttpContext context, int? seconds, RetryAfterFormat format, TimeProvider timeProvider)
    {
        if (Format(seconds, format, timeProvider.GetUtcNow()) is { } value)
        {
            context.Response.Headers.RetryAfter = value;
        }
    }

    /// <summary>The earliest time a Retry-After header value sent at <paramref name="now"/> allows; null for none.</summary>
    public static DateTimeOffset? NotBefore(string value, DateTimeOffset now)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
        {
            return now.AddSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : null;
    }
}
