using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// The event registrations of every WebSocket, held here and nowhere else, and the fan-out of the engine's
/// changes to them. A session is in the hub exactly while it has a registration. Publishing never waits:
/// each session has its own bounded queue and closes itself when that overflows.
/// </summary>
internal sealed class EventHub(IOptions<JsonRpcOptions> options)
{
    public const string ProvisioningChange = "provisioningchange";

    /// <summary>The Controller's event for a plugin's activation state (Thunder's native SmartLinkType and ThunderJS watch it).</summary>
    public const string StateChange = "statechange";

    private readonly int _maxRegistrations = options.Value.MaxRegistrationsPerConnection;
    private readonly int _maxTotalRegistrations = options.Value.MaxRegistrations;

    // Registrations of all sessions together, reserved before one is added and given back as they go.
    private int _totalRegistrations;

    // Per session: (client id, event) to the notification's prefix, built once at registration. Each inner
    // dictionary is its own lock; a session's entry leaves the hub when its last registration does.
    private readonly ConcurrentDictionary<WebSocketSession, Dictionary<(string Id, string Event), byte[]>> _sessions = new();

    /// <summary>How many sessions have at least one registration.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Registrations of all sessions together.</summary>
    public int RegistrationCount => Volatile.Read(ref _totalRegistrations);

    public RegistrationOutcome Register(WebSocketSession session, string id, string eventName)
    {
        while (true)
        {
            Dictionary<(string Id, string Event), byte[]> registrations = _sessions.GetOrAdd(session, static _ => []);
            lock (registrations)
            {
                if (!_sessions.TryGetValue(session, out var current) || current != registrations)
                {
                    continue; // emptied and removed meanwhile: take the session's new entry
                }

                if (registrations.ContainsKey((id, eventName)))
                {
                    return RegistrationOutcome.AlreadyRegistered;
                }

                if (registrations.Count >= _maxRegistrations)
                {
                    return RegistrationOutcome.LimitReached;
                }

                if (Interlocked.Increment(ref _totalRegistrations) > _maxTotalRegistrations)
                {
                    Interlocked.Decrement(ref _totalRegistrations);
                    return RegistrationOutcome.BridgeLimitReached;
                }

                registrations.Add((id, eventName), ResponseWriter.NotificationPrefix(id, eventName));
                return RegistrationOutcome.Added;
            }
        }
    }

    public bool Unregister(WebSocketSession session, string id, string eventName) =>
        Remove(session, key => key == (id, eventName)) > 0;

    /// <summary>Every registration of a session that ends.</summary>
    public void Detach(WebSocketSession session) => Remove(session, static _ => true);

    /// <summary>Drops every registration for the event (a deactivated plugin's).</summary>
    public void DropRegistrations(string eventName)
    {
        foreach (WebSocketSession session in _sessions.Keys)
        {
            Remove(session, key => key.Event == eventName);
        }
    }

    public void Publish(EngineState state)
    {
        if (state.IsAnnounced)
        {
            Notify(ProvisioningChange, ResponseWriter.StatusParams(state.Status));
        }
    }

    /// <summary>Tells the Controller's statechange listeners that the plugin is now "Activated" or "Deactivated".</summary>
    public void PublishPluginState(string state) =>
        Notify(StateChange, ResponseWriter.PluginStateParams(JsonRpcDispatcher.Callsign, state));

    /// <summary>Queues one notification frame per registration of the event; never waits.</summary>
    private void Notify(string eventName, byte[] parameters)
    {
        foreach ((WebSocketSession session, Dictionary<(string Id, string Event), byte[]> registrations) in _sessions)
        {
            lock (registrations)
            {
                foreach (KeyValuePair<(string Id, string Event), byte[]> registration in registrations)
                {
                    if (registration.Key.Event == eventName && !session.Enqueue(Frame(registration.Value, parameters)))
                    {
                        break;
                    }
                }
            }
        }
    }

    private static byte[] Frame(byte[] prefix, byte[] parameters)
    {
        byte[] frame = new byte[prefix.Length + parameters.Length + 1];
        prefix.CopyTo(frame, 0);
        parameters.CopyTo(frame, prefix.Length);
        frame[^1] = (byte)'}';
        return frame;
    }

    /// <summary>Removes the session's registrations that match; the session leaves the hub with its last one.</summary>
    private int Remove(WebSocketSession session, Func<(string Id, string Event), bool> matches)
    {
        if (!_sessions.TryGetValue(session, out Dictionary<(string Id, string Event), byte[]>? registrations))
        {
            return 0;
        }

        lock (registrations)
        {
            int removed = 0;
            foreach ((string Id, string Event) key in registrations.Keys.Where(matches).ToList())
            {
                registrations.Remove(key);
                removed++;
            }

            Interlocked.Add(ref _totalRegistrations, -removed);

            if (registrations.Count == 0)
            {
                _sessions.TryRemove(new KeyValuePair<WebSocketSession, Dictionary<(string Id, string Event), byte[]>>(session, registrations));
            }

            return removed;
        }
    }
}
