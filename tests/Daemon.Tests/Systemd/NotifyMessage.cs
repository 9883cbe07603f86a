namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>One sd_notify datagram as the supervisor received it.</summary>
public sealed record NotifyMessage(string Text)
{
    public bool Is(string assignment) => Text.Split('\n').Contains(assignment, StringComparer.Ordinal);

    public string? Value(string name) =>
        Text.Split('\n').FirstOrDefault(line => line.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}
