using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.State;

/// <summary>
/// A configured key-encryption key that cannot be used stops the start with a message naming the setting:
/// silently falling back to plaintext would store keys unprotected on a device that asked for encryption.
/// </summary>
internal sealed class KeyEncryptionOptionsValidator(string? credentialsDirectory) : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        _ = KeyEncryptionKeys.Resolve(options, credentialsDirectory, out List<string> problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
