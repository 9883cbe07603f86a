using System.Security.Cryptography;
using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Runs the real daemon (<see cref="DaemonUnderTest"/>) under strace against the back-office simulator and
/// records every kind of state write it makes:
/// <list type="bullet">
/// <item><c>first</c>: first provisioning on a device whose state directory does not exist yet;</item>
/// <item><c>reprovision</c>: a provisioning with other labels and keys over the stored one;</item>
/// <item><c>index</c>: a key slot chosen (only the state file changes);</item>
/// <item><c>recovery</c>: a state file that fails its checksum (one byte flipped) moved aside, then the device
/// provisioned again (no valid old state: the flipped one is not);</item>
/// <item><c>first-encrypted</c>: first provisioning with a key-encryption key;</item>
/// <item><c>rotation</c>: the key-encryption key rotated (previous key kept for reading): the store re-encrypts
/// the key material under the new key at start, without a back-office run.</item>
/// </list>
/// Each chain runs in its own root folder; each write starts from what the previous one left.
/// </summary>
internal sealed class CrashScenarioRecorder(string workDirectory, SimulatorServer simulator)
{
    public const string AcknowledgementMarker = "StateStore[1204]";
    private const int KeySize = 2000;

    private readonly UnixFileMode _umask = StraceRecorder.Umask();

    public async Task<IReadOnlyList<RecordedScenario>> RecordAllAsync()
    {
        var scenarios = new List<RecordedScenario>();
        Directory.CreateDirectory(workDirectory);

        string plainDevice = ProvisionId.Derive(Guid.NewGuid().ToString());
        string plainRoot = Path.Combine(workDirectory, "plain");
        Directory.CreateDirectory(plainRoot);
        var keysA = Keys("netflix", 1, "playready", 2, "cobalt", 2);
        var keysB = Keys("netflix", 1, "playready", 2, "widevine", 2);
        simulator.Devices.AddWithKeys(plainDevice, keysA);
        RecordedScenario first = await RecordAsync("first", plainRoot, plainDevice, [], null, keysA, NoIndexes, _ => Task.CompletedTask);
        simulator.Devices.AddWithKeys(plainDevice, keysB);
        RecordedScenario reprovision = await RecordAsync("reprovision", plainRoot, plainDevice, [], first.New, keysB, NoIndexes, c => c.ProvisionAsync(wait: true));
        RecordedScenario index = await RecordAsync("index", plainRoot, plainDevice, [], reprovision.New, keysB, PlayreadySlot1, c => c.SetIndexAsync("playready", 1));
        FlipAByteOfThePayload(Path.Combine(plainRoot, RecordedScenario.StateDirectoryName, "state.json"));
        RecordedScenario recovery = await RecordAsync("recovery", plainRoot, plainDevice, [], null, keysB, NoIndexes, _ => Task.CompletedTask);
        scenarios.AddRange([first, reprovision, index, recovery]);

        string keyDirectory = Path.Combine(workDirectory, "kek");
        Directory.CreateDirectory(keyDirectory);
        string kek1 = WriteKek(keyDirectory, "kek1");
        string kek2 = WriteKek(keyDirectory, "kek2");
        string encryptedDevice = ProvisionId.Derive(Guid.NewGuid().ToString());
        string encryptedRoot = Path.Combine(workDirectory, "encrypted");
        Directory.CreateDirectory(encryptedRoot);
        var keysC = Keys("netflix", 1, "playready", 2, "cobalt", 2);
        simulator.Devices.AddWithKeys(encryptedDevice, keysC);
        RecordedScenario firstEncrypted = await RecordAsync(
            "first-encrypted", encryptedRoot, encryptedDevice, [$"--State:KeyEncryptionKeyFile={kek1}"], null, keysC, NoIndexes, _ => Task.CompletedTask);
        RecordedScenario rotation = await RecordAsync(
            "rotation", encryptedRoot, encryptedDevice, [$"--State:KeyEncryptionKeyFile={kek2}", $"--State:PreviousKeyEncryptionKeyFile={kek1}"],
            firstEncrypted.New, keysC, NoIndexes, _ => Task.CompletedTask);
        scenarios.AddRange([firstEncrypted, rotation]);
        return scenarios;
    }

    /// <summary>The daemon's arguments for a state under <paramref name="root"/> (the settings every run shares).</summary>
    public static string[] DaemonArguments(Uri backOffice, string deviceId, string root, string socketPath, IEnumerable<string> extra) =>
    [
        $"--BackOffice:Url={backOffice}",
        $"--Device:Id={deviceId}",
        $"--State:Directory={Path.Combine(root, RecordedScenario.StateDirectoryName)}",
        $"--Grpc:SocketPath={socketPath}",
        "--JsonRpc:Url=http://127.0.0.1:0",
        "--Boot:MaxDelay=00:00:00",
        .. extra,
    ];

    private static readonly Dictionary<string, int> NoIndexes = [];
    private static readonly Dictionary<string, int> PlayreadySlot1 = new() { ["playready"] = 1 };

    private async Task<RecordedScenario> RecordAsync(
        string name,
        string root,
        string deviceId,
        string[] extra,
        ProvisioningView? old,
        IReadOnlyDictionary<string, IReadOnlyList<byte[]>> keys,
        IReadOnlyDictionary<string, int> indexes,
        Func<ProvisioningClient, Task> write)
    {
        FileTree initial = FileTree.Read(root);
        string trace = Path.Combine(workDirectory, name + ".trace");
        string socket = Path.Combine(workDirectory, name + ".sock");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        ProvisioningView? served;
        await using (var daemon = DaemonProcess.Start(
            DaemonArguments(simulator.BaseAddress, deviceId, root, socket, extra), workingDirectory: workDirectory, wrapper: StraceRecorder.Wrapper(trace)))
        {
            await daemon.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = socket });
            await write(client);
            await daemon.WaitForLineAsync(line => line.Contains(AcknowledgementMarker, StringComparison.Ordinal));
            served = await ProvisioningView.ServedAsync(client, timeout.Token);
            await Shell.RunCheckedAsync("kill", "-TERM", StraceRecorder.TracedChild(daemon.Id).ToString(System.Globalization.CultureInfo.InvariantCulture));
            int exitCode = await daemon.WaitForExitAsync();
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"recording {name}: the daemon exited {exitCode} on SIGTERM:\n" + string.Join('\n', daemon.Lines));
            }
        }

        IReadOnlyList<FsOp> operations = StraceReducer.Reduce(File.ReadLines(trace), root, AcknowledgementMarker);
        File.Delete(trace);
        // The issue time is the back office's clock, read back from the daemon; the keys are checked against the back office's.
        var expected = ProvisioningView.Of(served?.Issued, keys, indexes);
        if (served != expected)
        {
            throw new InvalidOperationException($"recording {name}: the daemon served {served?.ToString() ?? "nothing"}, the back office issued {expected}");
        }

        return new RecordedScenario(name, root, deviceId, extra, initial, operations, FileTree.Read(root), old, expected, _umask);
    }

    /// <summary>Random keys of <see cref="KeySize"/> bytes: label, slot count, label, slot count...</summary>
    private static OrderedDictionary<string, IReadOnlyList<byte[]>> Keys(params object[] labelsAndCounts)
    {
        var keys = new OrderedDictionary<string, IReadOnlyList<byte[]>>(StringComparer.Ordinal);
        for (int i = 0; i < labelsAndCounts.Length; i += 2)
        {
            keys[(string)labelsAndCounts[i]] = [.. Enumerable.Range(0, (int)labelsAndCounts[i + 1]).Select(_ => RandomNumberGenerator.GetBytes(KeySize))];
        }

        return keys;
    }

    /// <summary>Changes one base64 character in the middle of the state file: it stays JSON and fails its checksum.</summary>
    private static void FlipAByteOfThePayload(string stateFile)
    {
        byte[] content = File.ReadAllBytes(stateFile);
        int middle = content.Length / 2;
        content[middle] = content[middle] == (byte)'A' ? (byte)'B' : (byte)'A';
        File.WriteAllBytes(stateFile, content);
    }

    private static string WriteKek(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
