using System.Collections.Concurrent;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Fans one engine subscription out to every WebSocket with a registration. Publishing never waits:
/// each session has its own bounded queue and closes itself when that overflows.
/// </summary>
internal sealed class EventHub
{
    public const string ProvisioningChange = "provisioningchange";

    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();

    public int SessionCount => _sessions.Count;

    public void Attach(WebSocketSession session) => _sessions.TryAdd(session, 0);

    public void Detach(WebSocketSession session) => _sessions.TryRemove(session, out _);

    public void Publish(EngineState state)
    {
        if (!state.IsAnnounced)
        {
            return;
        }

        byte[] parameters = ResponseWriter.StatusParams(state.Status);
        foreach (WebSocketSession session in _sessions.Keys)
        {
            session.Notify(ProvisioningChange, parameters);
        }
    }

    public void DropAllRegistrations()
    {
        foreach (WebSocketSession session in _sessions.Keys)
        {
            session.ClearRegistrations();
            _sessions.TryRemove(session, out _);
        }
    }
}
