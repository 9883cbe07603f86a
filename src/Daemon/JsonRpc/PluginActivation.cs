using Microsoft.Extensions.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>The Controller's view of the one plugin the bridge serves: activated or deactivated.</summary>
internal sealed class PluginActivation(EventHub hub, ILogger<PluginActivation> logger)
{
    private volatile bool _active = true;

    public bool IsActive => _active;

    public void Activate()
    {
        if (!_active)
        {
            _active = true;
            hub.PublishPluginState("Activated");
        }

        JsonRpcLog.PluginStateChanged(logger, "activated");
    }

    public void Deactivate()
    {
        if (_active)
        {
            _active = false;

            // Thunder drops a deactivated plugin's event registrations; callers register again after activate.
            hub.DropRegistrations(EventHub.ProvisioningChange);
            hub.PublishPluginState("Deactivated");
        }

        JsonRpcLog.PluginStateChanged(logger, "deactivated");
    }
}
