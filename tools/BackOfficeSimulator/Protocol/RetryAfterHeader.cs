using System.Globalization;

namespace Provisioning.BackOfficeSimulator;

internal static class RetryAfterHeader
{
    /// <summary>The key of the HttpContext item that holds the time a Retry-After allows the next request.</summary>
    public static readonly object NotBeforeItem = new();

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

    /// <summary>
    /// Sets the header, and records in the request's items (under <see cref="NotBeforeItem"/>) the earliest time it
    /// allows the next request: its date, or its seconds counted from now, before the answer leaves, so never
    /// later than a client's own count starts.
    /// </summary>
    public static void Apply(HttpContext context, int? seconds, RetryAfterFormat format, TimeProvider timeProvider)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (Format(seconds, format, now) is { } value)
        {
            context.Response.Headers.RetryAfter = value;
            context.Items[NotBeforeItem] = format == RetryAfterFormat.Seconds
                ? now.AddSeconds(seconds!.Value)
                : DateTimeOffset.ParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
    }
}
