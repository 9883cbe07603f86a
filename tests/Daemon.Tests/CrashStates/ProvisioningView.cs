using System.Security.Cryptography;
using Provisioning.Client;
using Provisioning.Contracts.V1;
using StateMessage = Provisioning.Contracts.V1.State;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// A provisioning as a caller sees it: when it was issued, and per label the chosen slot and that slot's key
/// (as a hash prefix in <see cref="Keys"/>). Equal views are the same provisioning.
/// </summary>
internal sealed record ProvisioningView(DateTimeOffset? Issued, string Keys)
{
    /// <summary>The view the back office's keys and the chosen slots make.</summary>
    public static ProvisioningView Of(DateTimeOffset? issued, IReadOnlyDictionary<string, IReadOnlyList<byte[]>> keys, IReadOnlyDictionary<string, int> indexes) =>
        new(issued, Describe(keys.Select(k => (k.Key, indexes.GetValueOrDefault(k.Key), k.Value[indexes.GetValueOrDefault(k.Key)]))));

    /// <summary>What the daemon serves: GetState, then GetKey for every label; null when it holds no provisioning.</summary>
    public static async Task<ProvisioningView?> ServedAsync(ProvisioningClient client, CancellationToken cancellationToken)
    {
        StateMessage state = await client.GetStateAsync(cancellationToken);
        if (state.Tokens.Count == 0)
        {
            return null;
        }

        var keys = new List<(string, int, byte[])>();
        foreach (string label in state.Tokens)
        {
            GetKeyResponse key = await client.GetKeyAsync(label, cancellationToken);
            keys.Add((label, key.Slot, key.Key.ToByteArray()));
        }

        return new ProvisioningView(state.Issued?.ToDateTimeOffset(), Describe(keys));
    }

    public override string ToString() => $"issued {Issued:O}: {Keys}";

    private static string Describe(IEnumerable<(string Label, int Slot, byte[] Key)> keys) =>
        string.Join(", ", keys.OrderBy(k => k.Label, StringComparer.Ordinal)
            .Select(k => $"{k.Label}[{k.Slot}]=sha256:{Convert.ToHexStringLower(SHA256.HashData(k.Key))[..12]}"));
}
