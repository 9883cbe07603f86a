using System.Text.Json;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>One top-level member of a params object; nested values keep only their kind.</summary>
internal readonly record struct ParamMember(string Name, JsonTokenType Kind, string? Text, long? Integer);
