using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.State;

/// <summary>
/// The key-encryption keys of this device: the current one (encrypts every write) and, after a rotation,
/// the previous one (only decrypts). From State:KeyEncryptionKeyFile, else from the systemd credentials
/// `provisioningd.kek` / `provisioningd.kek.previous` under $CREDENTIALS_DIRECTORY. Read once, on first use,
/// so nothing is read before the options are validated.
/// </summary>
internal sealed class KeyEncryptionKeys
{
    public const string CredentialName = "provisioningd.kek";
    public const string PreviousCredentialName = "provisioningd.kek.previous";
    public const string CredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

    private readonly Lazy<(KeyEncryptionKey? Current, KeyEncryptionKey? Previous)> _keys;

    public KeyEncryptionKeys(IOptions<StateOptions> options, string? credentialsDirectory)
    {
        _keys = new(() => Load(options.Value, credentialsDirectory));
    }

    /// <summary>No keys: key material is stored as plaintext.</summary>
    public static KeyEncryptionKeys None { get; } = new(Options.Create(new StateOptions()), credentialsDirectory: null);

    /// <summary>The key new writes use; null when encryption at rest is off. Throws <see cref="StateStoreException"/> when configured but unusable.</summary>
    public KeyEncryptionKey? Current => _keys.Value.Current;

    public KeyEncryptionKey? Find(ReadOnlySpan<byte> id)
    {
        (KeyEncryptionKey? current, KeyEncryptionKey? previous) = _keys.Value;
        return current is not null && id.SequenceEqual(current.Id) ? current
            : previous is not null && id.SequenceEqual(previous.Id) ? previous
            : null;
    }

    /// <summary>Both keys; every problem is listed in <paramref name="problems"/> as "Member: problem".</summary>
    public static (KeyEncryptionKey? Current, KeyEncryptionKey? Previous) Resolve(StateOptions options, string? credentialsDirectory, out List<string> problems)
    {
        problems = [];
        KeyEncryptionKey? current = ReadOne(options.KeyEncryptionKeyFile, nameof(StateOptions.KeyEncryptionKeyFile), credentialsDirectory, CredentialName, problems);
        KeyEncryptionKey? previous = ReadOne(options.PreviousKeyEncryptionKeyFile, nameof(StateOptions.PreviousKeyEncryptionKeyFile), credentialsDirectory, PreviousCredentialName, problems);
        if (previous is not null && current is null && problems.Count == 0)
        {
            problems.Add($"{nameof(StateOptions.PreviousKeyEncryptionKeyFile)}: a previous key is set but no current key ({nameof(StateOptions.KeyEncryptionKeyFile)} or credential {CredentialName})");
        }

        return (current, previous);
    }

    private static (KeyEncryptionKey? Current, KeyEncryptionKey? Previous) Load(StateOptions options, string? credentialsDirectory)
    {
        (KeyEncryptionKey? Current, KeyEncryptionKey? Previous) keys = Resolve(options, credentialsDirectory, out List<string> problems);
        return problems.Count == 0
            ? keys
            : throw new StateStoreException("The key-encryption key is unusable: State:" + string.Join("; State:", problems));
    }

    private static KeyEncryptionKey? ReadOne(string? configuredFile, string member, string? credentialsDirectory, string credential, List<string> problems)
    {
        string? path = configuredFile is { Length: > 0 } ? configuredFile
            : credentialsDirectory is { Length: > 0 } && File.Exists(Path.Combine(credentialsDirectory, credential)) ? Path.Combine(credentialsDirectory, credential)
            : null;
        if (path is null)
        {
            return null;
        }

        (KeyEncryptionKey? key, string? problem) = KeyEncryptionKeyFile.Read(path, systemdCredential: IsUnder(path, credentialsDirectory));
        if (problem is not null)
        {
            problems.Add(configuredFile is { Length: > 0 } ? $"{member}: {problem}" : $"{member}: unset, and the credential {credential}: {problem}");
        }

        return key;
    }

    // A credential systemd placed, however it is named: State:KeyEncryptionKeyFile=%d/provisioningd.kek in a drop-in too.
    private static bool IsUnder(string path, string? credentialsDirectory) =>
        credentialsDirectory is { Length: > 0 }
        && Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(credentialsDirectory)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
