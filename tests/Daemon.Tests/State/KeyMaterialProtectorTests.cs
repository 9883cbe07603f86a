using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.State;

public sealed class KeyMaterialProtectorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeLogger<KeyMaterialProtector> _logger = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Unprotect_OtherProvisionId_FailsAuthentication()
    {
        KeyMaterialProtector protector = Protector(KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek")));
        byte[] stored = protector.Protect("{\"labels\":[]}"u8, "WPE00000uCfrLF45");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "WPE00000otherdev"));
    }

    [Fact]
    public void Protect_SamePlaintextTwice_UsesAFreshNonce()
    {
        KeyMaterialProtector protector = Protector(KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek")));

        byte[] first = protector.Protect("same"u8, "WPE00000uCfrLF45");
        byte[] second = protector.Protect("same"u8, "WPE00000uCfrLF45");

        Assert.NotEqual(first, second);
        Assert.Equal("same"u8.ToArray(), protector.Unprotect(second, "WPE00000uCfrLF45"));
    }

    [Fact]
    public void Protect_WithoutKey_WarnsOnceThatKeysAreUnencrypted()
    {
        var protector = new KeyMaterialProtector(_logger, KeyEncryptionKeys.None);

        protector.Protect("a"u8, "WPE00000uCfrLF45");
        protector.Protect("b"u8, "WPE00000uCfrLF45");

        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1206);
    }

    [Theory]
    [InlineData("raw")]
    [InlineData("hex")]
    [InlineData("base64")]
    public void KeyFile_EachAcceptedEncoding_DecryptsWhatTheRawKeyEncrypted(string encoding)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        KeyEncryptionSamples.WriteOwnerOnly(_temp.Combine("raw"), key);
        byte[] text = encoding switch
        {
            "hex" => System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(key) + "\n"),
            "base64" => System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"),
            _ => key,
        };
        KeyEncryptionSamples.WriteOwnerOnly(_temp.Combine("encoded"), text);

        byte[] stored = Protector(_temp.Combine("raw")).Protect("secret"u8, "WPE00000uCfrLF45");

        Assert.Equal("secret"u8.ToArray(), Protector(_temp.Combine("encoded")).Unprotect(stored, "WPE00000uCfrLF45"));
    }

    [Fact]
    public void Validate_UnusableKeys_NameTheSettingAndEveryProblem()
    {
        KeyEncryptionSamples.WriteOwnerOnly(_temp.Combine("short"), new byte[16]);
        File.WriteAllBytes(_temp.Combine("open"), RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(_temp.Combine("open"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = new KeyEncryptionOptionsValidator(credentialsDirectory: null).Validate(null, new StateOptions
        {
            KeyEncryptionKeyFile = _temp.Combine("short"),
            PreviousKeyEncryptionKeyFile = _temp.Combine("open"),
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("KeyEncryptionKeyFile: ", StringComparison.Ordinal) && f.Contains("32-byte", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("PreviousKeyEncryptionKeyFile: ", StringComparison.Ordinal) && f.Contains("other users", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_KeyFileReadableByItsGroup_IsRefusedButACredentialWithSystemdsAclIsNot()
    {
        // A key file must not be readable by other users, the members of its group included; in
        // $CREDENTIALS_DIRECTORY, systemd's ACL for the service user shows in the group bits (0440).
        string groupReadable = _temp.Combine("group-readable");
        File.WriteAllBytes(groupReadable, RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(groupReadable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        string credentials = _temp.Combine("credentials");
        Directory.CreateDirectory(credentials);
        string credential = Path.Combine(credentials, KeyEncryptionKeys.CredentialName);
        File.WriteAllBytes(credential, RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(credential, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        var asFile = new KeyEncryptionOptionsValidator(credentialsDirectory: null).Validate(null, new StateOptions { KeyEncryptionKeyFile = groupReadable });
        var asCredential = new KeyEncryptionOptionsValidator(credentials).Validate(null, new StateOptions());
        var asCredentialByPath = new KeyEncryptionOptionsValidator(credentials).Validate(null, new StateOptions { KeyEncryptionKeyFile = credential });

        Assert.True(asFile.Failed);
        Assert.Contains("other users (mode 0640; make it 0600 or 0400)", Assert.Single(asFile.Failures!), StringComparison.Ordinal);
        Assert.True(asCredential.Succeeded);
        Assert.True(asCredentialByPath.Succeeded);
    }

    [Fact]
    public void Validate_MissingConfiguredKeyFile_Fails()
    {
        var result = new KeyEncryptionOptionsValidator(credentialsDirectory: null).Validate(null, new StateOptions { KeyEncryptionKeyFile = _temp.Combine("missing") });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("does not exist", StringComparison.Ordinal));
    }

    private KeyMaterialProtector Protector(string keyFile) =>
        new(_logger, new KeyEncryptionKeys(Options.Create(new StateOptions { KeyEncryptionKeyFile = keyFile }), credentialsDirectory: null));
}
