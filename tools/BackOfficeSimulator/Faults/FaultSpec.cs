namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// One entry of the fault plan, as JSON on /admin/faults and as configuration under
/// "Simulator:Faults:N". Unused members are ignored by kinds that do not need them.
/// </summary>
internal sealed record FaultSpec
{
    public const int MaxDelayMs = 10 * 60 * 1000;
    public const int MaxPolls = 1000;
    public const int MaxBodyLength = 64 * 1024;

    public FaultKind Kind { get; set; } = FaultKind.Status;

    /// <summary>Which requests may consume it.</summary>
    public FaultTarget On { get; set; } = FaultTarget.Any;

    /// <summary>When set, only requests for this provision ID (polls: the operation's device) consume it.</summary>
    public string? DeviceId { get; set; }

    /// <summary>How many matching requests it applies to (e.g. 503 x3).</summary>
    public int Repeat { get; set; } = 1;

    /// <summary>Applies to every matching request until the plan is changed; Repeat is then ignored.</summary>
    public bool Forever { get; set; }

    /// <summary>For <see cref="FaultKind.Status"/>: the status to answer, 200-599.</summary>
    public int Status { get; set; } = 503;

    /// <summary>For Status: the "error" of the error body; default derived from the status.</summary>
    public string? Error { get; set; }

    /// <summary>For Status: the "message" of the error body.</summary>
    public string? Message { get; set; }

    /// <summary>For Status and Malformed: a raw body sent verbatim instead of the generated one.</summary>
    public string? Body { get; set; }

    /// <summary>Seconds for a Retry-After header (Status, Accepted); Accepted defaults to 1.</summary>
    public int? RetryAfter { get; set; }

    public RetryAfterFormat RetryAfterFormat { get; set; } = RetryAfterFormat.Seconds;

    /// <summary>Wait this long (on the server's TimeProvider) before acting; every kind honours it.</summary>
    public int DelayMs { get; set; }

    /// <summary>For Accepted: the operation answers 200 on the Polls-th poll and 202 before.</summary>
    public int Polls { get; set; } = 1;

    /// <summary>For Malformed: what is wrong with the body.</summary>
    public MalformedKind Malformed { get; set; } = MalformedKind.InvalidJson;

    public static FaultSpec Answer(int status, int repeat = 1, int? retryAfter = null, RetryAfterFormat format = RetryAfterFormat.Seconds) =>
        new() { Kind = FaultKind.Status, Status = status, Repeat = repeat, RetryAfter = retryAfter, RetryAfterFormat = format };

    public static FaultSpec AcceptedAfter(int polls, int retryAfter = 1, RetryAfterFormat format = RetryAfterFormat.Seconds) =>
        new() { Kind = FaultKind.Accepted, Polls = polls, RetryAfter = retryAfter, RetryAfterFormat = format };

    public static FaultSpec MalformedBody(MalformedKind malformed, int repeat = 1) =>
        new() { Kind = FaultKind.Malformed, Malformed = malformed, Repeat = repeat };

    public static FaultSpec TruncatedBody(int repeat = 1) => new() { Kind = FaultKind.Truncated, Repeat = repeat };

    public static FaultSpec ResetConnection(int repeat = 1) => new() { Kind = FaultKind.Reset, Repeat = repeat };

    public static FaultSpec DelayBy(TimeSpan delay, int repeat = 1) =>
        new() { Kind = FaultKind.Delay, DelayMs = checked((int)delay.TotalMilliseconds), Repeat = repeat };

    /// <summary>Every problem with this entry, each naming the member; <paramref name="prefix"/> says where it came from.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!Enum.IsDefined(Kind))
        {
            yield return $"{prefix}Kind is not a known fault kind.";
        }

        if (!Enum.IsDefined(On) || !Enum.IsDefined(RetryAfterFormat) || !Enum.IsDefined(Malformed))
        {
            yield return $"{prefix}On, RetryAfterFormat or Malformed has an unknown value.";
        }

        if (Repeat < 1)
        {
            yield return $"{prefix}Repeat must be at least 1.";
        }

        if (Status is < 200 or > 599 or 204 or 205 or 304)
        {
            yield return $"{prefix}Status must be 200-599 and allow a body (not 204, 205, 304).";
        }

        if (DelayMs is < 0 or > MaxDelayMs)
        {
            yield return $"{prefix}DelayMs must be 0-{MaxDelayMs}.";
        }

        if (Polls is < 1 or > MaxPolls)
        {
            yield return $"{prefix}Polls must be 1-{MaxPolls}.";
        }

        if (RetryAfter is < 0 or > 86_400)
        {
            yield return $"{prefix}RetryAfter must be 0-86400 seconds.";
        }

        if (Body is { Length: > MaxBodyLength } || Error is { Length: > 256 } || Message is { Length: > 1024 })
        {
            yield return $"{prefix}Body (64 KiB), Error (256) or Message (1024) is too long.";
        }

        if (DeviceId is not null && !ProtocolRules.IsValidProvisionId(DeviceId))
        {
            yield return $"{prefix}DeviceId is not a provision ID.";
        }
    }

    internal bool Matches(FaultTarget request, string? deviceId) =>
        (On == FaultTarget.Any || On == request) &&
        (DeviceId is null || string.Equals(DeviceId, deviceId, StringComparison.Ordinal));
}
