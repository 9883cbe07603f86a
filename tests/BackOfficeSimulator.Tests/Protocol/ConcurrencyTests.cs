using System.Globalization;
using System.Net;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Protocol;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Provision_1000DevicesAtOnce_EachEnrolledOnceWithItsOwnKeysAndEveryRequestLogged()
    {
        const int devices = 1000;
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.Faults = [FaultSpec.Answer(503, repeat: 100)]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        string[] ids = [.. Enumerable.Range(0, devices).Select(i => "WPE" + i.ToString("D13", CultureInfo.InvariantCulture))];

        HttpStatusCode[] statuses = await Task.WhenAll(ids.Select(async id =>
        {
            using HttpResponseMessage response = await client.ProvisionAsync(id);
            return response.StatusCode;
        }));

        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(devices - 100, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(devices, server.Requests.Count);
        Assert.Equal(devices, server.Requests.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.Equal(devices - 100, server.Devices.Count);
        Assert.Equal(devices - 100, server.Devices.Snapshot().Select(d => Convert.ToBase64String(d.KeysOf("netflix")[0])).Distinct().Count());
    }
}
