using Microsoft.Extensions.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>The Controller's view of the one plugin the bridge serves: activated or deactivated.</summary>
internal sealed class PluginActivation(EventHub hub, ILogger<PluginActivation> logger)
{
    private volatile bool _active = true;

    public bool IsActive => _active;

    public void Activate()
    {
        _active = true;
        JsonRpcLog.PluginStateChanged(logger, "activated");
    }

    public void Deactivate()
    {
        _active = false;

        // Thunder drops a deactivated plugin's event registrations; callers register again after activate.
        hub.DropAllRegistrations();
        JsonRpcLog.PluginStateChanged(logger, "deactivated");
    }
}
