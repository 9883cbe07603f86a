using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.State;

/// <summary>The "State" configuration section.</summary>
internal sealed class StateOptions
{
    public const string SectionName = "State";

    /// <summary>Holds the state file and the key material; created 0700 when missing.</summary>
    [Required]
    public string Directory { get; set; } = "/var/lib/provisioning";

    /// <summary>
    /// A file holding the key-encryption key (32 bytes: raw, hex or base64). When unset, the systemd
    /// credential `provisioningd.kek` under $CREDENTIALS_DIRECTORY is used if present; without either,
    /// key material is stored unencrypted (owner-only).
    /// </summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>The key used before a rotation, read-only: material under it is re-encrypted at start.</summary>
    public string? PreviousKeyEncryptionKeyFile { get; set; }

    /// <summary>
    /// False (the default): once this device stored its key material encrypted, a start without a key-encryption
    /// key is refused (exit 78) instead of provisioning again and storing the keys in plaintext. True: that
    /// downgrade is intended.
    /// </summary>
    public bool AllowPlaintextKeys { get; set; }
}
