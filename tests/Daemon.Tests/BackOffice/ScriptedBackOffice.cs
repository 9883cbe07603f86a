using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// The back office as a script of answers, plugged in through HttpClient's transport seam so that a test can
/// drive exact timing with a fake clock. Integration tests use the real simulator instead.
/// </summary>
internal sealed class ScriptedBackOffice(TimeProvider timeProvider) : HttpMessageHandler
{
    public delegate Task<HttpResponseMessage> Step(HttpRequestMessage request, CancellationToken cancellationToken);

    private readonly Queue<Step> _steps = new();
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];

    /// <summary>Signalled when a request hangs waiting for the attempt timeout.</summary>
    public Channel<RecordedRequest> Hangs { get; } = Channel.CreateUnbounded<RecordedRequest>();

    /// <summary>What to answer once the script is used up.</summary>
    public Step? Otherwise { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public ScriptedBackOffice Then(Step step)
    {
        lock (_lock)
        {
            _steps.Enqueue(step);
        }

        return this;
    }

    public ScriptedBackOffice Then(int times, Step step)
    {
        for (int i = 0; i < times; i++)
        {
            Then(step);
        }

        return this;
    }

    public static Step Status(int status, string? retryAfter = null, string? body = null) => (_, _) =>
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return Task.FromResult(response);
    };

    public static Step Ok(string body) => Status(200, body: body);

    public static Step Accepted(string operation, string? retryAfter = null) =>
        Status(202, retryAfter, $$"""{"operation":"{{operation}}"}""");

    public static Step Reset() => (_, _) =>
        Task.FromException<HttpResponseMessage>(
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer", new IOException("reset")));

    public static Step Content(HttpContent content) => (_, _) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });

    /// <summary>Never answers: the attempt can only end by its timeout.</summary>
    public Step Hang() => async (request, cancellationToken) =>
    {
        RecordedRequest recorded;
        lock (_lock)
        {
            recorded = _requests[^1];
        }

        await Hangs.Writer.WriteAsync(recorded, cancellationToken);
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable");
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Step step;
        lock (_lock)
        {
            _requests.Add(new RecordedRequest(
                timeProvider.GetUtcNow(),
                request.Method.Method,
                request.RequestUri!.AbsolutePath,
                Header(request.Headers, "Idempotency-Key"),
                Header(request.Headers, "User-Agent"),
                Header(request.Headers, "Accept"),
                request.Content?.Headers.ContentType?.ToString(),
                request.Headers.Authorization?.ToString(),
                body));
            step = _steps.Count > 0 ? _steps.Dequeue() : Otherwise ?? throw new InvalidOperationException("The script is used up.");
        }

        HttpResponseMessage response = await step(request, cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out IEnumerable<string>? values) ? string.Join(",", values) : null;
}
