using System.Security.Cryptography;

namespace Provisioning.BackOfficeSimulator;

/// <summary>Builds the Provisioning the back office answers for a device.</summary>
internal static class ProvisioningFactory
{
    /// <summary>The device's labels that were asked for (all when <paramref name="requested"/> is null), in the device's order.</summary>
    public static IReadOnlyList<TokenBody> Select(SimulatedDevice device, IReadOnlyList<string>? requested) =>
        [.. device.Labels
            .Where(l => requested is null || requested.Contains(l.Key, StringComparer.Ordinal))
            .Select(l => new TokenBody(l.Key, l.Value))];

    public static ProvisioningBody Create(string id, IReadOnlyList<TokenBody> tokens, SimulatorOptions options)
    {
        DateTime issued = options.TimeProvider.GetUtcNow().UtcDateTime;
        DateTime? expires = options.Lifetime is { } lifetime && lifetime > TimeSpan.Zero ? issued + lifetime : null;
        return new ProvisioningBody(id, issued, expires, tokens);
    }

    /// <summary>
    /// A well-formed Provisioning for the ID, from the device when it is known (without enrolling it),
    /// else with throw-away keys: the material that malformed and truncated faults spoil.
    /// </summary>
    public static ProvisioningBody ForFault(DeviceRegistry devices, string id, IReadOnlyList<string>? labels, SimulatorOptions options)
    {
        IReadOnlyList<TokenBody> tokens = devices.TryGet(id, out SimulatedDevice? device) ? Select(device, labels) : [];
        if (tokens.Count == 0)
        {
            tokens = [.. options.EffectiveDefaultLabels().Select(l => new TokenBody(l, [RandomNumberGenerator.GetBytes(options.KeySize)]))];
        }

        return Create(id, tokens, options);
    }
}
