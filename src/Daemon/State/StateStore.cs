using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Files;
using Provisioning.Daemon.Common.Native;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.State;

/// <summary>
/// The state directory: one versioned, checksummed state file plus the key material, owner-only,
/// written atomically. Bad content on disk is moved aside and never crashes the daemon; a failed write
/// leaves the previous state in place. Only the engine's loop calls Save, so writes never interleave.
/// </summary>
internal sealed class StateStore(
    IOptions<StateOptions> options,
    KeyMaterialProtector protector,
    TimeProvider timeProvider,
    ILogger<StateStore> logger) : IDisposable
{
    private const int MaxStateFileBytes = 1024 * 1024;
    private const int MaxKeyFileBytes = 64 * 1024 * 1024;
    private const string KeyFilePrefix = "keys-";
    private const string KeyFileSuffix = ".bin";

    private ProvisioningDocument? _savedDocument;
    private string? _savedKeyFile;
    private string? _savedKeyChecksum;

    // Set when the key file on disk is under an older key-encryption key (or plaintext): the next write re-encrypts it.
    private bool _savedKeyStale;

    // Set once the directory's own entry in its parent was flushed (see EnsureDirectory).
    private bool _entryFlushed;

    // How long ClaimDirectory waits for a lock held elsewhere before it concludes another daemon holds it.
    private static readonly TimeSpan ClaimPatience = TimeSpan.FromMilliseconds(500);

    // The directory's descriptor, with this process's lock on it (ClaimDirectory); -1 before.
    private int _claim = -1;

    public string Directory => options.Value.Directory;

    private string StatePath => Path.Combine(Directory, StateFileFormat.StateFileName);

    /// <summary>
    /// Creates the directory (0700) or tightens its mode, and once per process makes its entry in the parent
    /// durable. Throws <see cref="StateStoreException"/> when it cannot be used.
    /// </summary>
    public void EnsureDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory);
                return;
            }

            System.IO.Directory.CreateDirectory(Directory, DurableFile.OwnerOnlyDirectory);
            if (FileTrust.Distrust(Directory) is { } distrust)
            {
                throw new UnauthorizedAccessException($"{distrust}: whoever owns it could plant or read key material");
            }

            // Only when needed: a directory on a file system mounted read-only (or immutable) is still read.
            if (File.GetUnixFileMode(Directory) != DurableFile.OwnerOnlyDirectory)
            {
                File.SetUnixFileMode(Directory, DurableFile.OwnerOnlyDirectory);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            StateLog.DirectoryUnusable(logger, exception, Directory);
            throw new StateStoreException($"State directory {Directory} is unusable: {exception.Message}", exception);
        }

        if (!_entryFlushed)
        {
            _entryFlushed = true;
            FlushParent();
        }
    }

    /// <summary>
    /// Makes the directory this process's for as long as it runs (an exclusive flock on the directory itself, which
    /// the kernel releases when the process ends, however it ends): a second daemon with the same State:Directory
    /// would otherwise restore, remove "leftovers" and write beside the first, and serve keys no longer on disk.
    /// </summary>
    /// <exception cref="StateStoreException">The directory cannot be used.</exception>
    /// <exception cref="StateDirectoryInUseException">Another process holds it.</exception>
    public void ClaimDirectory()
    {
        EnsureDirectory();
        if (_claim >= 0 || OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = LibC.Open(Directory, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        if (fd < 0)
        {
            throw new StateStoreException($"State directory {Directory} cannot be opened (errno {Marshal.GetLastPInvokeError()})");
        }

        // A process that forks (a host that starts programs; the tests) shares a lock it holds with each child until the
        // child's exec closes the descriptor: a lock released a moment ago may still be held for that moment.
        int errno = Errno.WouldBlock;
        bool settled = SpinWait.SpinUntil(() => (errno = TryLock(fd)) != Errno.WouldBlock, ClaimPatience);
        if (settled && errno == 0)
        {
            _claim = fd;
            return;
        }

        _ = LibC.Close(fd);
        if (!settled)
        {
            throw new StateDirectoryInUseException($"State:Directory {Directory} is in use by another process (another provisioningd with the same State:Directory)");
        }

        // A file system without locks (ENOLCK): the directory works, only a second daemon is not kept out.
        StateLog.DirectoryNotLocked(logger, Directory, errno);
    }

    /// <summary>0 when the lock is taken, else flock's errno.</summary>
    private static int TryLock(int fd) =>
        LibC.Flock(fd, LibC.LockExclusiveNonBlocking) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public void Dispose()
    {
        if (_claim >= 0)
        {
            _ = LibC.Close(_claim);
            _claim = -1;
        }
    }

    /// <summary>
    /// A directory that was just created (here, by systemd's StateDirectory=, by an installer) vanishes in a
    /// power cut, with every file in it, until its parent is fsynced: the directory fsyncs of a write only
    /// cover the files. Once per process, before the first write, is enough. Failing to flush is a warning,
    /// not a reason to stop: the directory works, it is only not yet safe from a power cut.
    /// </summary>
    private void FlushParent()
    {
        string? parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Directory)));
        if (parent is null)
        {
            return;
        }

        try
        {
            DurableFile.FlushDirectory(parent);
        }
        catch (IOException exception)
        {
            StateLog.ParentNotFlushed(logger, exception, parent, Directory);
        }
    }

    /// <summary>
    /// Loads the stored state of this device. Content that cannot be trusted (corrupt, truncated, from a
    /// newer version, of another device) is moved aside and the result is <see cref="StoredState.Empty"/>.
    /// </summary>
    public StoredState Load(string provisionId)
    {
        EnsureDirectory();
        RemoveLeftovers(referencedKeyFile: null);
        string path = StatePath;
        if (System.IO.Directory.Exists(path))
        {
            // Not a state file at all, and every write would fail on it: set it aside like a corrupt one.
            SetAside(path, "it is a directory");
            return StoredState.Empty;
        }

        if (!File.Exists(path))
        {
            RemoveLeftovers(referencedKeyFile: string.Empty);
            StateLog.NoStateFile(logger, path);
            return StoredState.Empty;
        }

        try
        {
            (StoredState state, string? keyFile, string? keyChecksum) = Read(path, provisionId);
            RemoveLeftovers(keyFile);
            _savedDocument = state.Provisioning;
            _savedKeyFile = keyFile;
            _savedKeyChecksum = keyChecksum;
            StateLog.Restored(logger, path, state.Provisioning?.Labels.Count ?? 0, state.Status);
            if (_savedKeyStale)
            {
                Reencrypt(state, provisionId);
            }

            return state;
        }
        catch (Exception exception) when (exception is InvalidDataException or JsonException or FormatException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            SetAside(path, exception.Message);
            return StoredState.Empty;
        }
    }

    /// <summary>Writes the state durably. Throws <see cref="StateStoreException"/> and keeps the previous state when it cannot.</summary>
    public void Save(StoredState state, string provisionId)
    {
        string? newKeyFile = null;
        try
        {
            EnsureDirectory();
            (string? keyFile, string? keyChecksum) = (_savedKeyFile, _savedKeyChecksum);
            if (state.Provisioning is null)
            {
                (keyFile, keyChecksum) = (null, null);
            }
            else if (!ReferenceEquals(state.Provisioning, _savedDocument) || keyFile is null || _savedKeyStale)
            {
                ArraySegment<byte> stored = ProtectedKeyMaterial(state.Provisioning, provisionId);
                try
                {
                    newKeyFile = $"{KeyFilePrefix}{timeProvider.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}{KeyFileSuffix}";
                    DurableFile.WriteAllBytes(Path.Combine(Directory, newKeyFile), stored);
                    (keyFile, keyChecksum) = (newKeyFile, Checksum(stored));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(stored);
                }
            }

            var payload = new StatePayload(
                provisionId,
                state.Status,
                state.Provisioning?.Issued,
                state.Provisioning?.Expires,
                new Dictionary<string, int>(state.Indexes, StringComparer.Ordinal),
                keyFile,
                keyChecksum);
            byte[] payloadBytes = JsonSerializer.SerializeToUtf8Bytes(payload, StateJsonContext.Default.StatePayload);
            var envelope = new StateEnvelope(StateFileFormat.Current, Checksum(payloadBytes), Convert.ToBase64String(payloadBytes));
            DurableFile.WriteAllBytes(StatePath, JsonSerializer.SerializeToUtf8Bytes(envelope, StateJsonContext.Default.StateEnvelope));

            string? previousKeyFile = _savedKeyFile;
            (_savedDocument, _savedKeyFile, _savedKeyChecksum) = (state.Provisioning, keyFile, keyChecksum);
            _savedKeyStale = false;
            newKeyFile = null;
            if (previousKeyFile is not null && previousKeyFile != keyFile)
            {
                DurableFile.TryDelete(Path.Combine(Directory, previousKeyFile));
            }

            StateLog.Written(logger, StatePath, state.Provisioning?.Labels.Count ?? 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StateStoreException)
        {
            if (newKeyFile is not null)
            {
                DurableFile.TryDelete(Path.Combine(Directory, newKeyFile));
            }

            StateLog.WriteFailed(logger, exception, StatePath);
            throw exception as StateStoreException ?? new StateStoreException($"Writing the state failed: {exception.Message}", exception);
        }
    }

    private (StoredState State, string? KeyFile, string? KeyChecksum) Read(string path, string provisionId)
    {
        ThrowIfNotOwn(path);
        byte[] envelopeBytes = BoundedFile.ReadAllBytes(path, MaxStateFileBytes);
        StateEnvelope envelope = JsonSerializer.Deserialize(envelopeBytes, StateJsonContext.Default.StateEnvelope)
            ?? throw new InvalidDataException("the state file is empty");
        if (envelope.Format > StateFileFormat.Current)
        {
            throw new InvalidDataException($"written by a newer version (format {envelope.Format}, this build reads {StateFileFormat.Current})");
        }

        if (envelope.Format < 1 || envelope.Payload is null || envelope.Checksum is null)
        {
            throw new InvalidDataException("not a provisioningd state file");
        }

        byte[] payloadBytes = Convert.FromBase64String(envelope.Payload);
        if (!string.Equals(Checksum(payloadBytes), envelope.Checksum, StringComparison.Ordinal))
        {
            throw new InvalidDataException("checksum mismatch");
        }

        StatePayload payload = JsonSerializer.Deserialize(payloadBytes, StateJsonContext.Default.StatePayload)
            ?? throw new InvalidDataException("the payload is empty");
        if (!string.Equals(payload.Id, provisionId, StringComparison.Ordinal))
        {
            throw new InvalidDataException("it belongs to another provision ID");
        }

        ProvisioningDocument? document = payload.KeyFile is null ? null : ReadKeys(payload, provisionId);
        var indexes = document?.KeepExistingSlots(payload.Indexes ?? []) ?? StoredState.Empty.Indexes;
        return (new StoredState(document, indexes, document is null ? 0 : payload.Status), payload.KeyFile, payload.KeyFileChecksum);
    }

    /// <summary>A file the daemon did not write itself (another uid's, a link elsewhere) is not trusted: set aside.</summary>
    private static void ThrowIfNotOwn(string path)
    {
        if (FileTrust.Distrust(path) is { } distrust)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: {distrust}");
        }
    }

    private ProvisioningDocument ReadKeys(StatePayload payload, string provisionId)
    {
        if (!IsKeyFileName(payload.KeyFile))
        {
            throw new InvalidDataException("the key material reference is invalid");
        }

        if (payload.Issued is not { } issued)
        {
            throw new InvalidDataException("the provisioning's issue time is missing");
        }

        string keyPath = Path.Combine(Directory, payload.KeyFile!);
        ThrowIfNotOwn(keyPath);
        byte[] stored = BoundedFile.ReadAllBytes(keyPath, MaxKeyFileBytes);
        if (!string.Equals(Checksum(stored), payload.KeyFileChecksum, StringComparison.Ordinal))
        {
            throw new InvalidDataException("key material checksum mismatch");
        }

        bool stale = !protector.IsCurrent(stored);
        KeyMaterial material;
        try
        {
            // Decrypted where it was read: the key material exists once as bytes on its way to the keys.
            material = JsonSerializer.Deserialize(protector.UnprotectInPlace(stored, provisionId), StateJsonContext.Default.KeyMaterial)
                ?? throw new InvalidDataException("the key material is empty");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stored);
        }

        _savedKeyStale = stale;

        var labels = (material.Labels ?? []).Select(label => new LabelKeys(
            label.Label,
            [.. (label.Keys ?? []).Select(k => k ?? throw new InvalidDataException("a stored key is missing"))])).ToList();
        var document = new ProvisioningDocument(provisionId, issued, payload.Expires, labels);
        string? problem = ProvisioningRules.Validate(document, provisionId);
        return problem is null ? document : throw new InvalidDataException($"the stored provisioning is invalid: {problem}");
    }

    /// <summary>
    /// The key material file's bytes, serialized into one buffer sized for it (base64 takes 4 bytes per 3) after the
    /// protector's header room and protected there: at the protocol's largest, a 16 MiB answer, the keys as bytes and
    /// this buffer are all the memory a write takes, under the unit's heap limit (bench/README.md, "Footprint").
    /// </summary>
    private ArraySegment<byte> ProtectedKeyMaterial(ProvisioningDocument document, string provisionId)
    {
        int room = protector.HeaderRoom;
        long bound = 64 + (8 * 1024) + document.Labels.Sum(label => 64L + label.Label.Length + label.Keys.Sum(key => 8L + (4L * ((key.Length + 2) / 3))));
        var output = new ArrayBufferWriter<byte>(checked((int)(room + bound)));
        output.GetSpan(room);
        output.Advance(room);
        try
        {
            using (var json = new Utf8JsonWriter(output))
            {
                JsonSerializer.Serialize(json, new KeyMaterial([.. document.Labels.Select(t => new KeyMaterialLabel(t.Label, [.. t.Keys]))]), StateJsonContext.Default.KeyMaterial);
            }

            bool isArray = MemoryMarshal.TryGetArray(output.WrittenMemory, out ArraySegment<byte> written);
            Debug.Assert(isArray, "an ArrayBufferWriter writes into an array");
            protector.ProtectInPlace(written, provisionId);
            return written;
        }
        catch
        {
            // Whatever went wrong, no plaintext key is left behind in the buffer.
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(output.WrittenMemory).Span);
            throw;
        }
    }

    /// <summary>
    /// Sets a state that cannot be trusted aside, with its key material, under one suffix: nothing is lost (a
    /// wrong key-encryption key, for one, leaves the sealed file as it was, for the right key to open once both
    /// are renamed back). The one exception is plaintext key material where a key-encryption key is configured:
    /// it is removed, since no plaintext key may stay on a device that encrypts its keys.
    /// </summary>
    private void SetAside(string path, string reason)
    {
        // The key files first: a crash before the state's rename leaves a state whose key file is missing, which the
        // next start sets aside in turn; the other order would leave key files that no state refers to, leftovers.
        string suffix = $".bad-{timeProvider.GetUtcNow():yyyyMMddTHHmmssfff}";
        foreach (string file in FilesOfTheDirectory())
        {
            if (IsKeyFileName(Path.GetFileName(file)))
            {
                SetAsideKeyMaterial(file, suffix);
            }
        }

        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Move(path, path + suffix);
            }
            else
            {
                File.Move(path, path + suffix);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            StateLog.CouldNotMoveAside(logger, exception, path, reason);
            return;
        }

        StateLog.MovedAside(logger, path, reason, path + suffix);
        FlushRenames();
    }

    private void SetAsideKeyMaterial(string file, string suffix)
    {
        try
        {
            if (protector.CurrentKeyId is not null && !IsSealed(file))
            {
                DurableFile.TryDelete(file);
                StateLog.RemovedPlaintextKeyMaterial(logger, file);
                return;
            }

            File.Move(file, file + suffix);
            StateLog.KeyMaterialMovedAside(logger, file, file + suffix);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            StateLog.KeyMaterialNotMovedAside(logger, exception, file);
        }
    }

    /// <summary>The renames made durable; a failed flush leaves them done, only not yet safe from a power cut.</summary>
    private void FlushRenames()
    {
        try
        {
            DurableFile.FlushDirectory(Directory);
        }
        catch (IOException exception)
        {
            StateLog.DirectoryNotScanned(logger, exception, Directory);
        }
    }

    /// <summary>The files of the state directory; none (logged) when it cannot be listed, which is never a reason to stop.</summary>
    private IReadOnlyList<string> FilesOfTheDirectory()
    {
        try
        {
            return [.. System.IO.Directory.EnumerateFiles(Directory)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            StateLog.DirectoryNotScanned(logger, exception, Directory);
            return [];
        }
    }

    private static bool IsSealed(string file)
    {
        try
        {
            return SealedKeyMaterial.HasMagic(BoundedFile.ReadStart(file, SealedKeyMaterial.MagicSize));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// After a key rotation: the restored key material, read with the previous key, is written again under the
    /// current one at once, so the previous key can go after this start instead of after the next provisioning.
    /// A failed write keeps the old file (readable with the previous key) and is retried at the next write.
    /// </summary>
    private void Reencrypt(StoredState state, string provisionId)
    {
        StateLog.KeyMaterialNeedsRewrite(logger);
        try
        {
            Save(state, provisionId);
            StateLog.KeyMaterialReencrypted(logger, protector.CurrentKeyId ?? "none");
        }
        catch (StateStoreException)
        {
            // Save logged why; the state on disk is the previous one, still readable with the previous key.
        }
    }

    /// <summary>Removes temporary files and key files that no state file refers to: left by a crash mid-write.</summary>
    private void RemoveLeftovers(string? referencedKeyFile)
    {
        foreach (string file in FilesOfTheDirectory())
        {
            string name = Path.GetFileName(file);
            bool leftover = name.Contains(".tmp-", StringComparison.Ordinal)
                || (referencedKeyFile is not null && IsKeyFileName(name) && name != referencedKeyFile);
            if (leftover)
            {
                DurableFile.TryDelete(file);
                StateLog.RemovedLeftover(logger, file);
            }
        }
    }

    private static bool IsKeyFileName(string? name) =>
        name is not null
        && name.StartsWith(KeyFilePrefix, StringComparison.Ordinal)
        && name.EndsWith(KeyFileSuffix, StringComparison.Ordinal)
        && name.IndexOfAny(['/', '\\']) < 0;

    private static string Checksum(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
