using System.Net.Http.Headers;
using System.Text.Json;
using Provisioning.Daemon.BackOffice.Wire;
using Provisioning.Daemon.Common.Logging;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice;

/// <summary>Reads an HTTP answer of the back office (body capped) and classifies it.</summary>
internal static class AnswerReader
{
    private const int MaxOperationLength = 256;
    private const int MaxReasonLength = 200;

    /// <param name="deviceToken">The bearer token the request carried: an error message that quotes it is logged without it.</param>
    public static async Task<Answer> ReadAsync(
        HttpResponseMessage response, string provisionId, string? deviceToken, int maxBytes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        AnswerKind kind = StatusClasses.Classify(status);
        TimeSpan? retryAfter = RetryAfter(response.Headers, now);
        switch (kind)
        {
            case AnswerKind.Provisioned:
            case AnswerKind.Accepted:
            case AnswerKind.Permanent:
                break;
            case AnswerKind.Transient:
                return new Answer(kind, status, $"HTTP {status}", retryAfter);
            default:
                return new Answer(kind, status, $"unexpected HTTP {status}", retryAfter);
        }

        using CappedBody? body = await CappedBody.ReadAsync(response.Content, maxBytes, cancellationToken);
        if (body is null)
        {
            return kind == AnswerKind.Permanent
                ? new Answer(kind, status, $"HTTP {status}", retryAfter)
                : new Answer(AnswerKind.Malformed, status, $"the body is larger than {maxBytes} bytes", retryAfter);
        }

        return kind switch
        {
            AnswerKind.Provisioned => ReadProvisioning(body, status, provisionId, now, retryAfter),
            AnswerKind.Accepted => ReadOperation(body, status, retryAfter),
            _ => new Answer(kind, status, DescribeError(body, status, deviceToken), retryAfter),
        };
    }

    /// <summary>
    /// Retry-After as a delay from now. .NET reads delta-seconds as a 32-bit number and drops a larger one as
    /// invalid; RFC 9111 (1.2.2) says such a value means 2^31 seconds, so it does here (the cap then applies),
    /// and the next attempt never comes early.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (RetryAfter(headers.RetryAfter, now) is { } parsed)
        {
            return parsed;
        }

        return headers.NonValidated.TryGetValues("Retry-After", out HeaderStringValues values) && values.Count == 1
            && values.ToString().Trim() is { Length: > 0 } raw && !raw.AsSpan().ContainsAnyExceptInRange('0', '9')
            ? TimeSpan.FromSeconds(2147483648)
            : null;
    }

    /// <summary>Retry-After as a delay from now: delta-seconds, or an HTTP-date (a past date means no wait).</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return null;
    }

    private static Answer ReadProvisioning(CappedBody body, int status, string provisionId, DateTimeOffset now, TimeSpan? retryAfter)
    {
        ProvisioningBody? wire;
        try
        {
            wire = JsonSerializer.Deserialize(body.Json, BackOfficeJsonContext.Default.ProvisioningBody);
        }
        catch (ProvisioningLimitException limit)
        {
            return new Answer(AnswerKind.Malformed, status, $"invalid Provisioning: {limit.Message}", retryAfter);
        }
        catch (JsonException)
        {
            return new Answer(AnswerKind.Malformed, status, "the body is not valid JSON for a Provisioning", retryAfter);
        }

        ProvisioningDocument? document = ProvisioningMapper.ToDocument(wire, provisionId, now, out string? problem);
        return document is null
            ? new Answer(AnswerKind.Malformed, status, $"invalid Provisioning: {problem}", retryAfter)
            : new Answer(AnswerKind.Provisioned, status, "provisioned", retryAfter) { Document = document };
    }

    private static Answer ReadOperation(CappedBody body, int status, TimeSpan? retryAfter)
    {
        string? operation = null;
        try
        {
            operation = JsonSerializer.Deserialize(body.Json, BackOfficeJsonContext.Default.OperationBody)?.Operation;
        }
        catch (JsonException)
        {
            // Reported below as a malformed 202.
        }

        return IsValidOperation(operation)
            ? new Answer(AnswerKind.Accepted, status, $"accepted as operation {operation}", retryAfter) { Operation = operation }
            : new Answer(AnswerKind.Malformed, status, "a 202 without a valid operation", retryAfter);
    }

    // The operation goes into a URL path and into logs: only plain URL-safe characters are accepted, and not the
    // dot segments "." and "..", which a URL's path resolves away (the poll would leave /v1/operations/).
    private static bool IsValidOperation(string? operation) =>
        operation is { Length: > 0 and <= MaxOperationLength } and not ("." or "..")
        && operation.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~');

    private static string DescribeError(CappedBody body, int status, string? deviceToken)
    {
        ErrorBody? error = null;
        try
        {
            error = JsonSerializer.Deserialize(body.Json, BackOfficeJsonContext.Default.ErrorBody);
        }
        catch (JsonException)
        {
            // An error answer without the documented body still ends the run with its status.
        }

        string text = error is null ? string.Empty : $"{error.Error}: {error.Message}".Trim(' ', ':');
        if (!string.IsNullOrEmpty(deviceToken))
        {
            // A back office may quote the token it refused ("token ... expired"); the token is never logged.
            text = text.Replace(deviceToken, "[device token]", StringComparison.Ordinal);
        }

        return text.Length == 0 ? $"HTTP {status}" : $"HTTP {status} {LogText.Printable(text, ' ', MaxReasonLength)}";
    }
}
