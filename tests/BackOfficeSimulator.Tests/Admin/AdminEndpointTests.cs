using System.Net;
using System.Text;
using System.Text.Json;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Admin;

public sealed class AdminEndpointTests
{
    [Fact]
    public async Task Faults_PostGetPutDelete_ChangeThePlanWhileRunning()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage posted = await client.PostAsync("admin/faults", Json("""
            [ { "kind": "status", "status": 503, "repeat": 3, "retryAfter": 5, "retryAfterFormat": "date" },
              { "kind": "accepted", "polls": 2, "on": "provision" } ]
            """));
        using HttpResponseMessage appended = await client.PostAsync("admin/faults", Json("""{ "kind": "reset" }"""));
        JsonElement plan = await (await client.GetAsync("admin/faults")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, appended.StatusCode);
        Assert.Equal(["status", "accepted", "reset"], plan.EnumerateArray().Select(f => f.GetProperty("kind").GetString()));
        Assert.Equal(3, plan[0].GetProperty("repeat").GetInt32());
        Assert.Equal("date", plan[0].GetProperty("retryAfterFormat").GetString());
        Assert.Equal(FaultTarget.Provision, server.Faults.Snapshot()[1].On);

        using HttpResponseMessage consumed = await client.ProvisionAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, consumed.StatusCode);
        Assert.Equal(2, (await (await client.GetAsync("admin/faults")).JsonAsync())[0].GetProperty("repeat").GetInt32());

        using HttpResponseMessage replaced = await client.PutAsync("admin/faults", Json("""[ { "kind": "delay", "delayMs": 1 } ]"""));
        Assert.Equal([FaultKind.Delay], server.Faults.Snapshot().Select(f => f.Kind));

        using HttpResponseMessage cleared = await client.DeleteAsync("admin/faults");
        Assert.Equal(0, (await cleared.JsonAsync()).GetArrayLength());
        Assert.Equal(0, server.Faults.Count);
    }

    [Theory]
    [InlineData("""{ "kind": "explode" }""")]
    [InlineData("""[ { "kind": "status", "status": 99 } ]""")]
    [InlineData("""[ { "kind": "accepted", "polls": 0 } ]""")]
    [InlineData("""[ null ]""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public async Task Faults_InvalidPlan_Answers400AndKeepsThePlan(string body)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.Faults = [FaultSpec.Answer(500)]);
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.PostAsync("admin/faults", Json(body));

        Assert.Equal("invalid_fault_plan", await response.ErrorAsync(400));
        Assert.Equal(1, server.Faults.Count);
    }

    [Fact]
    public async Task Requests_GetListsProtocolRequestsOnly_DeleteClears()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.DeviceToken = "t");
        using HttpClient client = TestSimulator.Client(server);
        string key = Guid.NewGuid().ToString();
        using (HttpResponseMessage ok = await client.ProvisionAsync(idempotencyKey: key, token: "t"))
        using (HttpResponseMessage denied = await client.ProvisionAsync(idempotencyKey: key))
        using (HttpResponseMessage unused = await client.GetAsync("admin/devices"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        JsonElement log = await (await client.GetAsync("admin/requests")).JsonAsync();

        Assert.Equal(2, log.GetArrayLength());
        JsonElement first = log[0];
        Assert.Equal("POST", first.GetProperty("method").GetString());
        Assert.Equal($"/v1/devices/{TestSimulator.DeviceId}/provision", first.GetProperty("path").GetString());
        Assert.Equal(key, first.GetProperty("idempotencyKey").GetString());
        Assert.True(first.GetProperty("hasAuthorization").GetBoolean());
        Assert.Equal("provisioningd/0.1.0", first.GetProperty("userAgent").GetString());
        Assert.Equal(TestSimulator.Start, first.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("200", first.GetProperty("answer").GetString());
        Assert.Contains("\"model\":\"stb-x1\"", first.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.False(log[1].GetProperty("hasAuthorization").GetBoolean());
        Assert.Equal(401, log[1].GetProperty("status").GetInt32());
        Assert.DoesNotContain("\"t\"", log.GetRawText(), StringComparison.Ordinal);

        using HttpResponseMessage cleared = await client.DeleteAsync("admin/requests");
        Assert.Equal(0, (await cleared.JsonAsync()).GetArrayLength());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Devices_ListShowsLabelsAndKeyCountsButNoKeys_DetailShowsKeys()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        SimulatedDevice device = server.Devices.Add(TestSimulator.DeviceId, "netflix", "cobalt");
        using HttpClient client = TestSimulator.Client(server);

        JsonElement list = await (await client.GetAsync("admin/devices")).JsonAsync();
        JsonElement detail = await (await client.GetAsync($"admin/devices/{TestSimulator.DeviceId}")).JsonAsync();
        using HttpResponseMessage missing = await client.GetAsync("admin/devices/WPE0000000000009");

        JsonElement listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(TestSimulator.DeviceId, listed.GetProperty("id").GetString());
        Assert.Equal("active", listed.GetProperty("state").GetString());
        Assert.Equal([1, 2], listed.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("keyCount").GetInt32()));
        Assert.DoesNotContain(Convert.ToBase64String(device.KeysOf("netflix")[0]), list.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(device.KeysOf("cobalt"), TestSimulator.Tokens(detail)[1].Keys);
        Assert.Equal("unknown_device", await missing.ErrorAsync(404));
    }

    [Fact]
    public async Task Devices_AddRotateStateDelete_ChangeTheRegistry()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.AutoEnroll = false);
        using HttpClient client = TestSimulator.Client(server);
        string id = TestSimulator.DeviceId;

        JsonElement added = await (await client.PostAsync("admin/devices", Json($$"""{ "id": "{{id}}", "labels": ["app"] }"""))).JsonAsync();
        Assert.True(server.Devices.TryGet(id, out SimulatedDevice? before));
        Assert.Equal(before.KeysOf("app"), TestSimulator.Tokens(added)[0].Keys);

        JsonElement rotated = await (await client.PostAsync($"admin/devices/{id}/rotate", null)).JsonAsync();
        Assert.True(server.Devices.TryGet(id, out SimulatedDevice? after));
        Assert.NotEqual(before.KeysOf("app"), after.KeysOf("app"));
        Assert.Equal(1, rotated.GetProperty("generation").GetInt32());

        using HttpResponseMessage blocked = await client.PutAsync($"admin/devices/{id}/state", Json("""{ "state": "blocked" }"""));
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);
        using (HttpResponseMessage provision = await client.ProvisionAsync())
        {
            Assert.Equal("device_blocked", await provision.ErrorAsync(403));
        }

        using HttpResponseMessage deleted = await client.DeleteAsync($"admin/devices/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using HttpResponseMessage gone = await client.ProvisionAsync();
        Assert.Equal("unknown_device", await gone.ErrorAsync(404));
    }

    [Theory]
    [InlineData("""{ "id": "nope" }""")]
    [InlineData("""{ "id": "WPE00000uCfrLF45", "labels": ["bad label"] }""")]
    [InlineData("""{ "id": "WPE00000uCfrLF45", "state": "sleepy" }""")]
    [InlineData("[]")]
    public async Task Devices_InvalidAdd_Answers400(string body)
    {
        await using SimulatorServer server = await TestSimulator.StartAsync();
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.PostAsync("admin/devices", Json(body));

        Assert.Equal("invalid_device", await response.ErrorAsync(400));
        Assert.Equal(0, server.Devices.Count);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
