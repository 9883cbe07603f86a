using System.Collections.Concurrent;
using System.Text.Json;

namespace Provisioning.Bench.Api;

/// <summary>Every key the back office ever issued to the device, per label (read from the simulator's admin API).</summary>
internal sealed class IssuedKeys(HttpClient admin, string deviceId)
{
    private readonly ConcurrentDictionary<string, byte> _keys = new();
    private List<string> _labels = [];

    public IReadOnlyCollection<string> Labels => _labels;

    public bool IsIssued(string label, byte[] key) => _keys.ContainsKey(label + "/" + Convert.ToBase64String(key));

    public async Task RefreshAsync()
    {
        JsonElement device = await admin.DeviceAsync(deviceId);
        var labels = new List<string>();
        foreach (JsonElement token in device.GetProperty("tokens").EnumerateArray())
        {
            string label = token.GetProperty("label").GetString()!;
            labels.Add(label);
            foreach (JsonElement key in token.GetProperty("keys").EnumerateArray())
            {
                _keys.TryAdd(label + "/" + key.GetString(), 0);
            }
        }

        _labels = labels;
    }
}
