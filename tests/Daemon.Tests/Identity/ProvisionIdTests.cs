using Provisioning.Daemon.Identity;

namespace Provisioning.Daemon.Tests.Identity;

public sealed class ProvisionIdTests
{
    [Fact]
    public void Derive_SameIdentity_GivesSameValidId()
    {
        string a = ProvisionId.Derive("4f1c2a9be0d64f1e9d3c7b5a6e8f0a1b\n");
        string b = ProvisionId.Derive("4f1c2a9be0d64f1e9d3c7b5a6e8f0a1b");

        Assert.Equal(a, b);
        Assert.True(ProvisionId.IsValid(a), a);
        Assert.StartsWith("WPE", a, StringComparison.Ordinal);
        Assert.Equal(16, a.Length);
    }

    /// <summary>
    /// Known answers from docs/backoffice-protocol.md, computed outside .NET: a change of the derivation would give
    /// every device a new ID (and its stored state would be moved aside as another device's).
    /// </summary>
    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", "WPETEZByIqnJNuQL")]
    [InlineData("4c4c4544-0031-3410-8052-b4c04f4b3132\n", "WPEr55q7k2T4G4OY")]
    [InlineData("  box-7  ", "WPEOwyNjUMNpg4NC")]
    public void Derive_KnownIdentities_GiveTheDocumentedIds(string identity, string expected)
    {
        Assert.Equal(expected, ProvisionId.Derive(identity));
    }

    [Fact]
    public void Derive_DifferentIdentities_GiveDifferentIds()
    {
        Assert.NotEqual(ProvisionId.Derive("machine-a"), ProvisionId.Derive("machine-b"));
    }

    [Theory]
    [InlineData("WPE00000uCfrLF45", true)]
    [InlineData("WPE00000uCfrLF4", false)]
    [InlineData("XPE00000uCfrLF45", false)]
    [InlineData("WPE00000uCfrLF4!", false)]
    [InlineData("WPE00000uCfrLF45\n", false)]
    [InlineData("WPE00000uCfrLF4\u0663", false)]
    [InlineData("WPE00000uCfrLF45A", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsValid_ChecksPrefixLengthAndAlphabet(string? id, bool expected)
    {
        Assert.Equal(expected, ProvisionId.IsValid(id));
    }
}
