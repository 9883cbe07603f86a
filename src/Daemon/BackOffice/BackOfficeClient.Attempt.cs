using System.Net.Http.Headers;
using Polly;

namespace Provisioning.Daemon.BackOffice;

internal sealed partial class BackOfficeClient
{
    /// <summary>One request of a run (the provision POST, or a poll of its operation) and its answer, read and classified.</summary>
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, RunState run)
    {
        run.Answer = null;
        HttpResponseMessage? response = null;
        try
        {
            using HttpRequestMessage request = CreateRequest(run);
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
            run.Answer = await AnswerReader.ReadAsync(
                response, run.Request.ProvisionId, run.DeviceToken, _options.MaxResponseBytes, _timeProvider.GetUtcNow(), context.CancellationToken);
            return Outcome.FromResult(response);
        }
        catch (Exception e)
        {
            // Polly decides from the outcome whether this was transient; the response is of no further use.
            response?.Dispose();
            return Outcome.FromException<HttpResponseMessage>(e);
        }
    }

    private HttpRequestMessage CreateRequest(RunState run)
    {
        HttpRequestMessage request;
        if (run.Operation is { } operation)
        {
            request = new HttpRequestMessage(HttpMethod.Get, Endpoint($"v1/operations/{Uri.EscapeDataString(operation)}"));
            _logger.Sending(run.Attempt, "GET", request.RequestUri!.AbsolutePath);
        }
        else
        {
            run.Attempt++;
            request = new HttpRequestMessage(HttpMethod.Post, Endpoint($"v1/devices/{Uri.EscapeDataString(run.Request.ProvisionId)}/provision"))
            {
                Content = new ByteArrayContent(run.Body) { Headers = { ContentType = Json } },
            };
            _logger.Sending(run.Attempt, "POST", request.RequestUri!.AbsolutePath);
            run.OnProgress(new RunProgress(RunProgressKind.AttemptStarted, run.Attempt, 0, "sending the provision request", _timeProvider.GetUtcNow()));
        }

        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("Idempotency-Key", run.Request.IdempotencyKey.ToString("D"));
        if (run.DeviceToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private Uri Endpoint(string relative)
    {
        string baseUrl = _options.Url!.AbsoluteUri;
        return new Uri(baseUrl.EndsWith('/') ? baseUrl + relative : baseUrl + "/" + relative, UriKind.Absolute);
    }
}
