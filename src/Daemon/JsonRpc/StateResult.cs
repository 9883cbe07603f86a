namespace Provisioning.Daemon.JsonRpc;

/// <summary>The value of the read-only property <c>state</c>.</summary>
internal sealed record StateResult(string Id, int Status, IReadOnlyList<string> Tokens);
