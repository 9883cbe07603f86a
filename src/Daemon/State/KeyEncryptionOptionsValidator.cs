using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.State;

/// <summary>
/// A configured key-encryption key that cannot be used stops the start with a message naming the setting:
/// silently falling back to plaintext would store keys unprotected on a device that asked for encryption.
/// So does a missing key on a device whose stored key material is encrypted (its drop-in or credential
/// removed), unless State:AllowPlaintextKeys says the downgrade is intended.
/// </summary>
internal sealed class KeyEncryptionOptionsValidator(string? credentialsDirectory) : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        (KeyEncryptionKey? current, _) = KeyEncryptionKeys.Resolve(options, credentialsDirectory, out List<string> problems);
        if (problems.Count == 0 && current is null && !options.AllowPlaintextKeys && EncryptedKeyMaterial.IsStoredIn(options.Directory))
        {
            problems.Add(
                $"{nameof(StateOptions.AllowPlaintextKeys)}: the key material in {options.Directory} is encrypted and no key-encryption key is configured "
                + $"({nameof(StateOptions.KeyEncryptionKeyFile)} or the credential {KeyEncryptionKeys.CredentialName}): restore the key, or set "
                + $"State:{nameof(StateOptions.AllowPlaintextKeys)}=true to provision again and store the keys unencrypted");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
