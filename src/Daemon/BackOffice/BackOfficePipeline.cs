using System.Security.Authentication;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// The one resilience pipeline of the back-office client, built from validated options. It is a singleton,
/// so the circuit breaker's state carries over from one run to the next. Outermost first: the run budget,
/// retry (transient failures after back-off, 202 polls after Retry-After), the circuit breaker, the
/// per-attempt timeout.
/// </summary>
internal sealed class BackOfficePipeline
{
    private readonly BackOfficeOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<double> _random;

    public BackOfficePipeline(IOptions<BackOfficeOptions> options, TimeProvider timeProvider, ILogger<BackOfficePipeline> logger)
        : this(options.Value, timeProvider, logger, Random.Shared.NextDouble)
    {
    }

    /// <param name="random">The jitter source, numbers in [0, 1); tests pass a fixed sequence.</param>
    internal BackOfficePipeline(BackOfficeOptions options, TimeProvider timeProvider, ILogger logger, Func<double> random)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _random = random;
        Pipeline = Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>A failure that is worth another attempt: no answer (refused, reset, TLS, timeout) or an open circuit.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or IOException or AuthenticationException;

    private ResiliencePipeline<HttpResponseMessage> Build() =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "provisioningd-backoffice", TimeProvider = _timeProvider }
            .AddTimeout(new TimeoutStrategyOptions { Name = "run-budget", Timeout = _options.RunBudget })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(Decide(args.Outcome, RunState.From(args.Context))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RunState.From(args.Context).NextDelay),
                OnRetry = args => Report(RunState.From(args.Context), args.RetryDelay),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "circuit-breaker",
                FailureRatio = _options.CircuitBreaker.FailureRatio,
                MinimumThroughput = _options.CircuitBreaker.MinimumThroughput,
                SamplingDuration = _options.CircuitBreaker.SamplingDuration,
                BreakDuration = _options.CircuitBreaker.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome, RunState.From(args.Context))),
                OnOpened = args => Log(() => _logger.CircuitOpened(args.BreakDuration)),
                OnHalfOpened = _ => Log(_logger.CircuitHalfOpened),
                OnClosed = _ => Log(_logger.CircuitClosed),
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = _options.AttemptTimeout })
            .Build();

    private static ValueTask Log(Action log)
    {
        log();
        return ValueTask.CompletedTask;
    }

    // Healthy answers (success, 202, permanent refusals) keep the circuit closed; only transient ones count.
    private static bool IsFailure(Outcome<HttpResponseMessage> outcome, RunState run) =>
        outcome.Exception is { } exception
            ? IsTransient(exception)
            : run.Answer?.Kind is AnswerKind.Transient or AnswerKind.Malformed;

    /// <summary>Decides, once per attempt, whether the run goes on, and if so how long it waits first.</summary>
    private bool Decide(Outcome<HttpResponseMessage> outcome, RunState run)
    {
        if (outcome.Exception is { } exception)
        {
            if (!IsTransient(exception))
            {
                return false;
            }

            if (exception is BrokenCircuitException && run.Operation is null)
            {
                // The refused attempt counts, so that the next one sent has a new number.
                run.Attempt++;
            }

            run.LastFailure = Describe(exception);
            return Setback(run, 0, null, (exception as BrokenCircuitException)?.RetryAfter);
        }

        Answer answer = run.Answer ?? throw new InvalidOperationException("An attempt ended without an answer or an exception.");
        switch (answer.Kind)
        {
            case AnswerKind.Accepted:
                run.Operation = answer.Operation;
                run.LastFailure = $"operation {answer.Operation} was still running at the back office";
                run.ConsecutiveFailures = 0;
                run.LastBackoff = TimeSpan.Zero;
                run.PendingKind = RunProgressKind.Accepted;
                run.PendingStatus = answer.Status;
                run.NextDelay = RetryDelays.Next(answer.RetryAfter ?? _options.DefaultPollInterval, answer.RetryAfter, _options.Retry.MaxDelay);
                return true;
            case AnswerKind.Transient:
            case AnswerKind.Malformed:
                run.LastTransientStatus = answer.Status;
                run.LastFailure = answer.Reason;
                return Setback(run, answer.Status, answer.RetryAfter, null);
            default:
                return false;
        }
    }

    /// <param name="retryAfter">What the back office asked for: honoured up to Retry:MaxDelay.</param>
    /// <param name="circuitOpenFor">What is left of an open circuit's break: waited in full, as an earlier attempt would be refused too.</param>
    private bool Setback(RunState run, int status, TimeSpan? retryAfter, TimeSpan? circuitOpenFor)
    {
        run.ConsecutiveFailures++;
        run.PendingKind = RunProgressKind.AttemptFailed;
        run.PendingStatus = status;
        BackOfficeRetryOptions retry = _options.Retry;
        TimeSpan backoff = RetryDelays.Backoff(retry.Jitter, run.ConsecutiveFailures, run.LastBackoff, retry.BaseDelay, retry.MaxDelay, _random());
        run.LastBackoff = backoff;
        TimeSpan delay = retryAfter is { } asked && retry.RetryAfter == RetryAfterUse.Exact
            ? RetryDelays.Next(asked + (retry.BaseDelay * _random()), asked, retry.MaxDelay)
            : RetryDelays.Next(backoff, retryAfter, retry.MaxDelay);
        run.NextDelay = circuitOpenFor > delay ? RetryDelays.Next(circuitOpenFor.Value, null, TimeSpan.MaxValue) : delay;
        return true;
    }

    private ValueTask Report(RunState run, TimeSpan delay)
    {
        DateTimeOffset next = _timeProvider.GetUtcNow() + delay;
        if (run.PendingKind == RunProgressKind.Accepted)
        {
            _logger.Accepted(run.Attempt, run.Operation!, delay);
            run.OnProgress(new RunProgress(RunProgressKind.Accepted, run.Attempt, run.PendingStatus, $"accepted as operation {run.Operation}", next));
        }
        else
        {
            run.OnProgress(new RunProgress(RunProgressKind.AttemptFailed, run.Attempt, run.PendingStatus, run.LastFailure, next));
        }

        return ValueTask.CompletedTask;
    }

    private static string Describe(Exception exception) => exception switch
    {
        BrokenCircuitException => "the circuit is open after repeated failures",
        TimeoutRejectedException => "no answer within BackOffice:AttemptTimeout",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } e => $"no connection: {e.Message}",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } e => $"TLS failure: {e.Message}",
        _ => $"no answer: {exception.Message}",
    };
}
