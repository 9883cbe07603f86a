using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Provisioning.BackOfficeSimulator.Tests.Infrastructure;

/// <summary>Starts simulators on real loopback ports and talks to them with real HttpClients.</summary>
internal static class TestSimulator
{
    public const string DeviceId = "WPE00000uCfrLF45";

    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Task<SimulatorServer> StartAsync(Action<SimulatorOptions>? configure = null, FakeTimeProvider? time = null)
    {
        var options = new SimulatorOptions { TimeProvider = time ?? new FakeTimeProvider(Start) };
        configure?.Invoke(options);
        return SimulatorServer.StartAsync(options);
    }

    /// <summary>A client with its own connection pool, so one test's connections never serve another's.</summary>
    public static HttpClient Client(SimulatorServer server) =>
        new(new SocketsHttpHandler()) { BaseAddress = server.BaseAddress, Timeout = Patience };

    public static string RequestBody(string id = DeviceId, string? labels = null) =>
        labels is null
            ? $$"""{"id":"{{id}}","model":"stb-x1","firmware":"2.4.1"}"""
            : $$"""{"id":"{{id}}","model":"stb-x1","firmware":"2.4.1","labels":{{labels}}}""";

    public static HttpRequestMessage Provision(string id = DeviceId, string? body = null, string? idempotencyKey = "", string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"v1/devices/{id}/provision")
        {
            Content = new StringContent(body ?? RequestBody(id), Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey.Length == 0 ? Guid.NewGuid().ToString() : idempotencyKey);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.UserAgent.ParseAdd("provisioningd/0.1.0");
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    public static Task<HttpResponseMessage> ProvisionAsync(this HttpClient client, string id = DeviceId, string? body = null, string? idempotencyKey = "", string? token = null) =>
        client.SendAsync(Provision(id, body, idempotencyKey, token));

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts the {"error","message"} shape and returns the error code.</summary>
    public static async Task<string> ErrorAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        JsonElement body = await response.JsonAsync();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        return body.GetProperty("error").GetString()!;
    }

    /// <summary>label -> keys of a Provisioning body, in answer order.</summary>
    public static List<(string Label, byte[][] Keys)> Tokens(JsonElement provisioning) =>
        [.. provisioning.GetProperty("tokens").EnumerateArray().Select(t => (
            t.GetProperty("label").GetString()!,
            t.GetProperty("keys").EnumerateArray().Select(k => Convert.FromBase64String(k.GetString()!)).ToArray()))];

    public static async Task<IReadOnlyList<RecordedRequest>> WaitForLogAsync(this SimulatorServer server, Func<IReadOnlyList<RecordedRequest>, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await server.WaitForRequestsAsync(predicate, timeout.Token);
    }
}
