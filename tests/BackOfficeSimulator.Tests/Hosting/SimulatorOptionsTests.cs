using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Hosting;

public sealed class SimulatorOptionsTests
{
    [Fact]
    public void FromConfiguration_SimulatorSection_BindsEverySetting()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Url"] = "http://127.0.0.1:8099",
            ["Simulator:AutoEnroll"] = "false",
            ["Simulator:DefaultLabels:0"] = "app",
            ["Simulator:KeysPerLabel"] = "4",
            ["Simulator:KeySize"] = "16",
            ["Simulator:Lifetime"] = "0",
            ["Simulator:DeviceToken"] = "tok",
            ["Simulator:Devices:0:Id"] = TestSimulator.DeviceId,
            ["Simulator:Devices:0:Labels:0"] = "netflix",
            ["Simulator:Devices:0:State"] = "retired",
            ["Simulator:Faults:0:Kind"] = "status",
            ["Simulator:Faults:0:Status"] = "503",
            ["Simulator:Faults:0:Repeat"] = "3",
            ["Simulator:Faults:1:Kind"] = "accepted",
            ["Simulator:Faults:1:Polls"] = "2",
            ["Simulator:Faults:1:RetryAfterFormat"] = "date",
        }).Build();

        SimulatorOptions options = SimulatorOptions.FromConfiguration(configuration);

        Assert.Equal("http://127.0.0.1:8099", options.Url);
        Assert.False(options.AutoEnroll);
        Assert.Equal(["app"], options.EffectiveDefaultLabels());
        Assert.Equal(4, options.KeysPerLabel);
        Assert.Equal(16, options.KeySize);
        Assert.Equal(TimeSpan.Zero, options.Lifetime);
        Assert.Equal("tok", options.DeviceToken);
        Assert.Equal(DeviceState.Retired, Assert.Single(options.Devices).State);
        Assert.Equal([FaultKind.Status, FaultKind.Accepted], options.Faults.Select(f => f.Kind));
        Assert.Equal(3, options.Faults[0].Repeat);
        Assert.Equal(RetryAfterFormat.Date, options.Faults[1].RetryAfterFormat);
        Assert.Empty(SimulatorOptionsChecks.Validate(options));
    }

    [Fact]
    public void FromConfiguration_EmptySection_KeepsDefaults()
    {
        SimulatorOptions options = SimulatorOptions.FromConfiguration(new ConfigurationBuilder().Build());

        Assert.True(options.AutoEnroll);
        Assert.Equal(["netflix", "playready", "cobalt"], options.EffectiveDefaultLabels());
        Assert.Equal(TimeSpan.FromDays(365), options.Lifetime);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsNamingEverySetting()
    {
        var options = new SimulatorOptions
        {
            Url = "ftp://127.0.0.1:21",
            KeySize = 0,
            DefaultLabels = ["bad label"],
            Lifetime = TimeSpan.FromDays(-1),
            Devices = [new DeviceSeed { Id = "nope" }],
            Faults = [new FaultSpec { Polls = 0 }],
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SimulatorServer.StartAsync(options));

        string message = string.Join("\n", error.Failures);
        Assert.Contains("Simulator:Url", message, StringComparison.Ordinal);
        Assert.Contains("KeySize", message, StringComparison.Ordinal);
        Assert.Contains("Simulator:DefaultLabels", message, StringComparison.Ordinal);
        Assert.Contains("Simulator:Lifetime", message, StringComparison.Ordinal);
        Assert.Contains("Simulator:Devices:0:Id", message, StringComparison.Ordinal);
        Assert.Contains("Simulator:Faults:0:Polls", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_SeededDevices_AreKnownWithoutAutoEnroll()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o =>
        {
            o.AutoEnroll = false;
            o.Devices = [new DeviceSeed { Id = TestSimulator.DeviceId, Labels = ["app"] }];
        });
        using HttpClient client = TestSimulator.Client(server);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal("app", Assert.Single(TestSimulator.Tokens(await response.JsonAsync())).Label);
        Assert.Equal(TestSimulator.DeviceId, Assert.Single(server.Devices.Snapshot()).Id);
    }

    [Fact]
    public async Task StartAsync_PortZero_BindsAFreeLoopbackPort()
    {
        await using SimulatorServer first = await TestSimulator.StartAsync();
        await using SimulatorServer second = await TestSimulator.StartAsync();

        Assert.Equal("127.0.0.1", first.BaseAddress.Host);
        Assert.NotEqual(0, first.BaseAddress.Port);
        Assert.NotEqual(first.BaseAddress.Port, second.BaseAddress.Port);
        Assert.EndsWith("/", first.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestLog_OverCapacity_DropsTheOldest()
    {
        await using SimulatorServer server = await TestSimulator.StartAsync(o => o.RequestLogCapacity = 2);
        using HttpClient client = TestSimulator.Client(server);

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.ProvisionAsync();
        }

        Assert.Equal([2L, 3L], server.Requests.Select(r => r.Sequence));
    }
}
