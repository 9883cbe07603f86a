using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice;

/// <summary>One HTTP answer, read and classified. Reason is safe to log: it never holds key material.</summary>
internal sealed record Answer(AnswerKind Kind, int Status, string Reason, TimeSpan? RetryAfter)
{
    public ProvisioningDocument? Document { get; init; }

    public string? Operation { get; init; }
}
