using System.ComponentModel.DataAnnotations;
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

        Assert.Empty(Problems(device));
        Assert.Equal((ProvisionId.Derive("4f1c2a9be0d64f1e9d3c7b5a6e8f0a1b"), null), new DeviceIdentity(Options.Create(device)).Resolve());
    }

    [Theory]
    [InlineData("no/slashes")]
    [InlineData("WPE000000000000")]
    [InlineData(" WPE00000uCfrLF45")]
    public void IdNotOfTheProvisionIdForm_IsRefusedNamingTheForm(string id)
    {
        ValidationResult problem = Assert.Single(Problems(new DeviceOptions { Id = id }));

        Assert.Contains(ProvisionId.Form, problem.ErrorMessage, StringComparison.Ordinal);
    }

    private static List<ValidationResult> Problems(DeviceOptions device)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(device, new ValidationContext(device), problems, validateAllProperties: true);
        return problems;
    }
}
