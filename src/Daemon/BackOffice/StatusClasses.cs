namespace Provisioning.Daemon.BackOffice;

/// <summary>The protocol's table of statuses, plus the choices it leaves open.</summary>
internal static class StatusClasses
{
    public static AnswerKind Classify(int status) => status switch
    {
        200 => AnswerKind.Provisioned,
        202 => AnswerKind.Accepted,
        408 or 425 or 429 => AnswerKind.Transient,
        >= 500 and <= 599 => AnswerKind.Transient,

        // Redirects are refused (they would take the token elsewhere) and no retry fixes a 4xx.
        >= 300 and <= 499 => AnswerKind.Permanent,

        // 1xx, 2xx other than 200/202, and nonsense: the back office is misbehaving, which may pass.
        _ => AnswerKind.Malformed,
    };
}
