namespace Provisioning.Daemon.JsonRpc;

/// <summary>One entry of <c>Controller.1.status</c>, with the members Thunder callers look at.</summary>
internal sealed record PluginStatus(string Callsign, string Classname, string State, bool Autostart);
