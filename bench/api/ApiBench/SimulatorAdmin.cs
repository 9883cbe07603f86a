using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Provisioning.Bench.Api;

/// <summary>The back-office simulator's admin API (tools/BackOfficeSimulator/README.md), on a client whose base address is the simulator.</summary>
internal static class SimulatorAdmin
{
    public static async Task ClearRequestsAsync(this HttpClient admin) =>
        (await admin.DeleteAsync(Relative("admin/requests"))).EnsureSuccessStatusCode();

    /// <summary>The /v1 requests the simulator logged, oldest first.</summary>
    public static async Task<List<JsonElement>> RequestsAsync(this HttpClient admin)
    {
        JsonElement log = await admin.GetFromJsonAsync<JsonElement>(Relative("admin/requests"));
        JsonElement entries = log.ValueKind == JsonValueKind.Array ? log : log.GetProperty("requests");
        return [.. entries.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Replaces the fault plan with <paramref name="json"/> (a JSON array of faults).</summary>
    public static async Task SetFaultsAsync(this HttpClient admin, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        (await admin.PutAsync(Relative("admin/faults"), content)).EnsureSuccessStatusCode();
    }

    public static async Task RotateKeysAsync(this HttpClient admin, string deviceId) =>
        (await admin.PostAsync(Relative($"admin/devices/{deviceId}/rotate"), null)).EnsureSuccessStatusCode();

    public static Task<JsonElement> DeviceAsync(this HttpClient admin, string deviceId) =>
        admin.GetFromJsonAsync<JsonElement>(Relative($"admin/devices/{deviceId}"));

    private static Uri Relative(string path) => new(path, UriKind.Relative);
}
