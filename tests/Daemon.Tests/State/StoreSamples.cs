using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Tests.State;

internal static class StoreSamples
{
    public const string DeviceId = "WPE00000uCfrLF45";

    public static StateStore CreateStore(string directory, FakeLogger? logger = null)
    {
        var collector = logger ?? new FakeLogger();
        return new StateStore(
            Options.Create(new StateOptions { Directory = directory }),
            new KeyMaterialProtector(new FakeLogger<KeyMaterialProtector>(collector.Collector), KeyEncryptionKeys.None),
            TimeProvider.System,
            new FakeLogger<StateStore>(collector.Collector));
    }

    public static ProvisioningDocument Document(int keysPerLabel = 2, int keySize = 32, byte seed = 1) => new(
        DeviceId,
        new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2027, 11, 25, 10, 0, 0, TimeSpan.Zero),
        [
            new LabelKeys("netflix", [.. Enumerable.Range(0, keysPerLabel).Select(i => Key(keySize, (byte)(seed + i)))]),
            new LabelKeys("playready", [.. Enumerable.Range(0, keysPerLabel).Select(i => Key(keySize, (byte)(seed + 100 + i)))]),
        ]);

    public static StoredState State(ProvisioningDocument document, int netflixSlot = 1) => new(
        document,
        StoredState.Empty.Indexes.Add("netflix", netflixSlot),
        200);

    private static byte[] Key(int size, byte fill) => [.. Enumerable.Range(0, size).Select(i => (byte)(fill ^ i))];
}
