using Microsoft.Extensions.Options;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Identity;

public sealed class DeviceIdentityTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void EmptyOrUnsetId_IsValid_AndTheIdIsDerivedFromTheIdFile(string? id)
    {
        using var folder = new TempDirectory();
        string idFile = folder.Combine("machine-id");
        File.WriteAllText(idFile, "4f1c2a9be0d64f1e9d3c7b5a6e8f0a1b\n");
        var device = new DeviceOptions { Id = id, IdFile = idFile };

        Assert.True(new DeviceOptionsValidator().Validate(null, device).Succeeded);
        Assert.Equal((ProvisionId.Derive("4f1c2a9be0d64f1e9d3c7b5a6e8f0a1b"), null), new DeviceIdentity(Options.Create(device)).Resolve());
    }

    [Theory]
    [InlineData("no/slashes")]
    [InlineData("WPE000000000000")]
    [InlineData(" WPE00000uCfrLF45")]
    public void IdNotOfTheProvisionIdForm_IsRefusedNamingTheForm(string id)
    {
        ValidateOptionsResult result = new DeviceOptionsValidator().Validate(null, new DeviceOptions { Id = id });

        Assert.True(result.Failed);
        Assert.Contains(ProvisionId.Form, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
