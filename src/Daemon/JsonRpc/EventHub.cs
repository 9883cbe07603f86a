using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Limits;
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

    // Registrations of all sessions together, and each uid's share of them: taken before one is added and given
    // back as they go.
    private readonly SharedLimit _registrations = new(options.Value.MaxRegistrations, options.Value.MaxRegistrationsPerUid);

    // Per session: its caller's uid, and (client id, event) to the notification's prefix, built once at
    // registration. Each session's entry is its own lock; it leaves the hub when its last registration does.
    private readonly ConcurrentDictionary<WebSocketSession, SessionRegistrations> _sessions = new();

    /// <summary>How many sessions have at least one registration.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Registrations of all sessions together.</summary>
    public int RegistrationCount => _registrations.Count;

    /// <param name="uid">The uid of the session's caller (null: not identified); the same for every call of a session.</param>
    public RegistrationOutcome Register(WebSocketSession session, uint? uid, string id, string eventName)
    {
        while (true)
        {
            SessionRegistrations registrations = _sessions.GetOrAdd(session, static (_, uid) => new SessionRegistrations(uid), uid);
            lock (registrations)
            {
                if (!_sessions.TryGetValue(session, out var current) || current != registrations)
                {
                    continue; // emptied and removed meanwhile: take the session's new entry
                }

                if (registrations.Items.ContainsKey((id, eventName)))
                {
                    return RegistrationOutcome.AlreadyRegistered;
                }

                if (registrations.Items.Count >= _maxRegistrations)
                {
                    return RegistrationOutcome.LimitReached;
                }

                switch (_registrations.TryEnter(registrations.Uid))
                {
                    case LimitAdmission.Full:
                        return RegistrationOutcome.BridgeLimitReached;
                    case LimitAdmission.UidShareFull:
                        return RegistrationOutcome.UidShareReached;
                }

                registrations.Items.Add((id, eventName), ResponseWriter.NotificationPrefix(id, eventName));
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
        foreach ((WebSocketSession session, SessionRegistrations registrations) in _sessions)
        {
            lock (registrations)
            {
                foreach (KeyValuePair<(string Id, string Event), byte[]> registration in registrations.Items)
                {
                    if (registration.Key.Event == eventName && !session.EnqueueNotification(registration.Value, parameters))
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Removes the session's registrations that match; the session leaves the hub with its last one.</summary>
    private int Remove(WebSocketSession session, Func<(string Id, string Event), bool> matches)
    {
        if (!_sessions.TryGetValue(session, out SessionRegistrations? registrations))
        {
            return 0;
        }

        lock (registrations)
        {
            int removed = 0;
            foreach ((string Id, string Event) key in registrations.Items.Keys.Where(matches).ToList())
            {
                registrations.Items.Remove(key);
                removed++;
            }

            _registrations.Exit(registrations.Uid, removed);

            if (registrations.Items.Count == 0)
            {
                _sessions.TryRemove(new KeyValuePair<WebSocketSession, SessionRegistrations>(session, registrations));
            }

            return removed;
        }
    }

    /// <summary>One session's registrations, with the uid they count against.</summary>
    private sealed class SessionRegistrations(uint? uid)
    {
        public uint? Uid { get; } = uid;

        public Dictionary<(string Id, string Event), byte[]> Items { get; } = [];
    }
}
