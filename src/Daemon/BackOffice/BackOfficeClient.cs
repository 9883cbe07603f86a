using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Provisioning.Daemon.Common;
using Provisioning.Daemon.BackOffice.Wire;

namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// The HTTP client of the back office (docs/backoffice-protocol.md). A run goes through the one shared
/// <see cref="BackOfficePipeline"/>; it never throws for what the back office or the network does, and ends
/// Provisioned, Rejected (permanent answer) or GaveUp (budget spent or cancelled). It owns the HttpClient it is
/// given and disposes it with itself.
/// </summary>
internal sealed partial class BackOfficeClient : IBackOfficeClient, IDisposable
{
    private static readonly string UserAgent = "provisioningd/" + BuildInfo.Version;
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private const string Stopping = "the daemon is stopping";

    private readonly HttpClient _httpClient;
    private readonly BackOfficeOptions _options;
    private readonly BackOfficePipeline _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private volatile bool _disposed;

    public BackOfficeClient(
        HttpClient httpClient,
        IOptions<BackOfficeOptions> options,
        BackOfficePipeline pipeline,
        TimeProvider timeProvider,
        ILogger<BackOfficeClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = httpClient;
        _options = options.Value;
        _pipeline = pipeline;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// At shutdown, from the container. A request in flight is cancelled and a run in progress, or one started
    /// later, ends as GaveUp "the daemon is stopping" (the engine is normally stopped first; a start that fails
    /// after the engine started is the exception).
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _httpClient.Dispose();
    }

    /// <inheritdoc/>
    public async Task<RunOutcome> RunAsync(ProvisionRequest request, Action<RunProgress> onProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onProgress);
        if (!_options.HasUrl)
        {
            return new RunOutcome.GaveUp(0, "BackOffice:Url is not configured");
        }

        if (_disposed)
        {
            return new RunOutcome.GaveUp(0, Stopping);
        }

        string? deviceToken = null;
        if (_options.TokenFile is { } tokenFile)
        {
            try
            {
                deviceToken = await DeviceTokenFile.ReadAsync(tokenFile, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                _logger.TokenFileUnusable(tokenFile, e.Message);
                return new RunOutcome.GaveUp(0, $"BackOffice:TokenFile is unusable: {e.Message}");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new RunOutcome.GaveUp(0, "the run was cancelled");
            }
        }

        var run = new RunState(request, deviceToken, RequestBody(request), onProgress);
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RunState.Key, run);
        try
        {
            Outcome<HttpResponseMessage> outcome = await _pipeline.Pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => state.Client.AttemptAsync(ctx, state.Run), context, (Client: this, Run: run));
            outcome.Result?.Dispose();
            return Conclude(outcome, run, cancellationToken);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private RunOutcome Conclude(Outcome<HttpResponseMessage> outcome, RunState run, CancellationToken cancellationToken)
    {
        if (outcome.Exception is null && run.Answer is { } answer)
        {
            switch (answer.Kind)
            {
                case AnswerKind.Provisioned:
                    return new RunOutcome.Provisioned(answer.Document!);
                case AnswerKind.Permanent:
                    return new RunOutcome.Rejected(answer.Status, answer.Reason);
            }
        }

        // Disposed during the run: its request was cancelled, or the next one found the client disposed.
        if (_disposed)
        {
            return new RunOutcome.GaveUp(run.LastTransientStatus, $"{Stopping}; last failure: {run.LastFailure}");
        }

        if (outcome.Exception is { } exception && exception is not OperationCanceledException && !BackOfficePipeline.IsTransient(exception))
        {
            _logger.UnexpectedError(exception, run.Request.IdempotencyKey);
            return new RunOutcome.GaveUp(run.LastTransientStatus, $"unexpected error: {exception.GetType().Name}");
        }

        string why = cancellationToken.IsCancellationRequested
            ? "the run was cancelled"
            : $"BackOffice:RunBudget ({_options.RunBudget}) spent";
        return new RunOutcome.GaveUp(run.LastTransientStatus, $"{why}; last failure: {run.LastFailure}");
    }

    private byte[] RequestBody(ProvisionRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new ProvisionRequestBody
            {
                Id = request.ProvisionId,
                Model = _options.Model,
                Firmware = _options.Firmware,
                Labels = _options.Labels.Count == 0 ? null : [.. _options.Labels],
            },
            BackOfficeJsonContext.Default.ProvisionRequestBody);
}
