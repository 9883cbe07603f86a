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

    /// <summary>The Controller's event for a plugin's activation state (Thunder's native SmartLinkType and ThunderJS watch it).</summary>
    public const string StateChange = "statechange";

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

    /// <summary>Tells the Controller's statechange listeners that the plugin is now "Activated" or "Deactivated".</summary>
    public void PublishPluginState(string state)
    {
        byte[] parameters = ResponseWriter.PluginStateParams(JsonRpcDispatcher.Callsign, state);
        foreach (WebSocketSession session in _sessions.Keys)
        {
            session.Notify(StateChange, parameters);
        }
    }

    /// <summary>Drops every registration for the event (a deactivated plugin's); sessions left with none are detached.</summary>
    public void DropRegistrations(string eventName)
    {
        foreach (WebSocketSession session in _sessions.Keys)
        {
            if (session.ClearRegistrations(eventName) == 0)
            {
                _sessions.TryRemove(session, out _);
            }
        }
    }
}
