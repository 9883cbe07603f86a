using System.Net;
using System.Text;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Protocol;

public sealed class ProvisionEndpointTests
{
    [Fact]
    public async Task Provision_KnownDevice_Answers200WithItsKeysByteForByte()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.AutoEnroll = false);
        SimulatedDevice device = server.Devices.Add(TestSimulator.DeviceId, "netflix", "playready");
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(TestSimulator.DeviceId, body.GetProperty("id").GetString());
        Assert.Equal(TestSimulator.Start, body.GetProperty("issued").GetDateTimeOffset());
        Assert.Equal(TestSimulator.Start.AddDays(365), body.GetProperty("expires").GetDateTimeOffset());
        Assert.EndsWith("Z", body.GetProperty("issued").GetString(), StringComparison.Ordinal);
        var tokens = TestSimulator.Tokens(body);
        Assert.Equal(["netflix", "playready"], tokens.Select(t => t.Label));
        Assert.Equal(device.KeysOf("netflix"), tokens[0].Keys);
        Assert.Equal(device.KeysOf("playready"), tokens[1].Keys);
    }

    [Fact]
    public async Task Provision_Repeated_KeysStableUntilRotated()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        var first = TestSimulator.Tokens(await (await client.ProvisionAsync()).JsonAsync());
        var second = TestSimulator.Tokens(await (await client.ProvisionAsync()).JsonAsync());
        SimulatedDevice rotated = server.Devices.RotateKeys(TestSimulator.DeviceId);
        var third = TestSimulator.Tokens(await (await client.ProvisionAsync()).JsonAsync());

        Assert.Equal(first.SelectMany(t => t.Keys), second.SelectMany(t => t.Keys));
        Assert.NotEqual(first.SelectMany(t => t.Keys), third.SelectMany(t => t.Keys));
        Assert.Equal(rotated.Labels.Values.SelectMany(k => k), third.SelectMany(t => t.Keys));
        Assert.Equal(1, rotated.Generation);
    }

    [Fact]
    public async Task Provision_AutoEnroll_CreatesDeviceWithDefaultLabelsAndKeyCounts()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.KeySize = 48);
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        var tokens = TestSimulator.Tokens(await response.JsonAsync());
        Assert.Equal(["netflix", "playready", "cobalt"], tokens.Select(t => t.Label));
        Assert.Equal([1, 2, 2], tokens.Select(t => t.Keys.Length));
        Assert.All(tokens.SelectMany(t => t.Keys), k => Assert.Equal(48, k.Length));
        Assert.True(server.Devices.TryGet(TestSimulator.DeviceId, out SimulatedDevice? device));
        Assert.Equal(device.KeysOf("cobalt"), tokens[2].Keys);
    }

    [Fact]
    public async Task Provision_CustomDefaultsAndNoLifetime_AnswersThemWithoutExpires()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o =>
        {
            o.DefaultLabels = ["app"];
            o.KeysPerLabel = 3;
            o.Lifetime = null;
        });
        using HttpClient client = TestSimulator.Client(server);

        var body = await (await client.ProvisionAsync()).JsonAsync();

        Assert.False(body.TryGetProperty("expires", out _));
        var token = Assert.Single(TestSimulator.Tokens(body));
        Assert.Equal("app", token.Label);
        Assert.Equal(3, token.Keys.Length);
    }

    [Fact]
    public async Task Provision_WithLabels_AnswersTheIntersectionInDeviceOrder()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync(body: TestSimulator.RequestBody(labels: """["cobalt","unknown","netflix"]"""));

        Assert.Equal(["netflix", "cobalt"], TestSimulator.Tokens(await response.JsonAsync()).Select(t => t.Label));
    }

    [Fact]
    public async Task Provision_NoRequestedLabelAssigned_Answers422()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync(body: TestSimulator.RequestBody(labels: """["widevine"]"""));

        Assert.Equal("no_matching_labels", await response.ErrorAsync(422));
    }

    [Fact]
    public async Task Provision_UnknownDeviceWithoutAutoEnroll_Answers404()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.AutoEnroll = false);
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal("unknown_device", await response.ErrorAsync(404));
        Assert.Equal(0, server.Devices.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Provision_TokenConfiguredAndNotSent_Answers401(string? token)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.DeviceToken = "s3cret");
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync(token: token);

        Assert.Equal("unauthorized", await response.ErrorAsync(401));
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Provision_TokenConfiguredAndSent_Answers200()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.DeviceToken = "s3cret");
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync(token: "s3cret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(server.Requests.Single().HasAuthorization);
    }

    public static TheoryData<string, string?, string?, string> MalformedRequests => new()
    {
        { TestSimulator.DeviceId, null, null, "no Idempotency-Key" },
        { TestSimulator.DeviceId, null, "not-a-uuid", "Idempotency-Key not a UUID" },
        { TestSimulator.DeviceId, "{\"id\":", "", "invalid JSON" },
        { TestSimulator.DeviceId, "[1,2]", "", "not an object" },
        { TestSimulator.DeviceId, "{\"model\":\"stb-x1\"}", "", "no id" },
        { TestSimulator.DeviceId, TestSimulator.RequestBody("WPE00000uCfrLF46"), "", "id differs from URL" },
        { TestSimulator.DeviceId, "{\"id\":42}", "", "id not a string" },
        { TestSimulator.DeviceId, TestSimulator.RequestBody(labels: "[\"bad label\"]"), "", "invalid label" },
        { "not-an-id", TestSimulator.RequestBody("not-an-id"), "", "URL without a provision ID" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Provision_MalformedRequest_Answers400WithErrorBody(string id, string? body, string? idempotencyKey, string why)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync(id, body, idempotencyKey);

        Assert.True((int)response.StatusCode == 400, why);
        Assert.Equal("invalid_request", await response.ErrorAsync(400));
    }

    [Fact]
    public async Task Provision_NotJsonContentType_Answers400()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);
        using HttpRequestMessage request = TestSimulator.Provision();
        request.Content = new StringContent(TestSimulator.RequestBody(), Encoding.UTF8, "text/plain");

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal("invalid_request", await response.ErrorAsync(400));
    }

    [Fact]
    public async Task Provision_BodyOver64KiB_Answers400WithoutReadingItAll()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync(body: new string(' ', 70_000) + TestSimulator.RequestBody());

        Assert.Equal("body_too_large", await response.ErrorAsync(400));
    }

    [Theory]
    [InlineData(nameof(DeviceState.Blocked), 403, "device_blocked")]
    [InlineData(nameof(DeviceState.Retired), 410, "device_retired")]
    public async Task Provision_DeviceNotActive_AnswersItsStatus(string stateName, int status, string error)
    {
        DeviceState state = Enum.Parse<DeviceState>(stateName);
        await using SimulatorServer server = await TestSimulator.StartAsync();
        server.Devices.Add(TestSimulator.DeviceId);
        server.Devices.SetState(TestSimulator.DeviceId, state);
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(error, await response.ErrorAsync(status));
    }

    [Fact]
    public async Task Provision_IdempotencyKeyReusedForAnotherRequest_Answers409()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);
        string key = Guid.NewGuid().ToString();

        using HttpResponseMessage first = await client.ProvisionAsync(idempotencyKey: key);
        using HttpResponseMessage retry = await client.ProvisionAsync(idempotencyKey: key);
        using HttpResponseMessage other = await client.ProvisionAsync(body: TestSimulator.RequestBody(labels: "[\"netflix\"]"), idempotencyKey: key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("idempotency_key_reused", await other.ErrorAsync(409));
    }

    [Theory]
    [InlineData("GET", "v1/devices/WPE00000uCfrLF45/provision", 405)]
    [InlineData("GET", "v1/nothing", 404)]
    [InlineData("GET", "v1/operations/op-999", 404)]
    public async Task Request_NotServed_AnswersJsonError(string method, string path, int status)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.False(string.IsNullOrEmpty(await response.ErrorAsync(status)));
    }
}
