namespace Provisioning.Daemon.State;

/// <summary>
/// Turns the key material file's plaintext into the bytes written to disk and back. The file is
/// always owner-only (0600); encryption at rest with a device-bound key plugs in here.
/// </summary>
internal sealed class KeyMaterialProtector(ILogger<KeyMaterialProtector> logger)
{
    private int _warned;

    /// <summary>The bytes to write for this plaintext; <paramref name="provisionId"/> binds them to the device.</summary>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string provisionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionId);
        WarnOnceUnencrypted();
        return plaintext.ToArray();
    }

    /// <summary>The plaintext of bytes read from disk; throws <see cref="InvalidDataException"/> when they cannot be trusted.</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> stored, string provisionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionId);
        WarnOnceUnencrypted();
        return stored.ToArray();
    }

    private void WarnOnceUnencrypted()
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
        {
            StateLog.KeyMaterialUnencrypted(logger);
        }
    }
}
