namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>A request as the scripted back office received it.</summary>
internal sealed record RecordedRequest(
    DateTimeOffset At,
    string Method,
    string Path,
    string? IdempotencyKey,
    string? UserAgent,
    string? Accept,
    string? ContentType,
    string? Authorization,
    string? Body);
