using CsCheck;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>
/// The state file's writer and reader: what is written is read back exactly (with and without a key-encryption key),
/// and a written directory with any one byte changed or any file cut short reads back as the same state or as
/// nothing, never as another state and never as an exception.
/// </summary>
public sealed class StateFileRoundTripTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnyState_WrittenThenLoadedByANewStore_IsTheSame(bool encrypted)
    {
        Documents.Stored.Sample(
            state =>
            {
                using var temp = new TempDirectory();
                Func<StateStore> store = Stores(temp, encrypted);

                store().Save(state, Documents.DeviceId);
                StoredState loaded = store().Load(Documents.DeviceId);

                Assert.True(Documents.Same(state, loaded));
            },
            seed: Seeds.Readers,
            iter: 60,
            threads: 1);
    }

    [Fact]
    public void AnyWrittenState_OneByteChangedOrCutShort_LoadsAsTheSameOrAsNothing()
    {
        Gen.Select(Documents.Stored, Gen.Bool, Gen.Bool, Gen.Int[0, int.MaxValue], Gen.Byte[1, 255], Gen.Bool).Sample(
            (state, encrypted, keyFile, where, xor, truncate) =>
            {
                using var temp = new TempDirectory();
                Func<StateStore> store = Stores(temp, encrypted);
                store().Save(state, Documents.DeviceId);
                string stateDirectory = temp.Combine("state");
                string victim = keyFile ? KeyEncryptionSamples.KeyFileIn(stateDirectory) : Path.Combine(stateDirectory, StateFileFormat.StateFileName);
                byte[] bytes = File.ReadAllBytes(victim);
                int at = where % bytes.Length;
                if (truncate)
                {
                    bytes = bytes[..at];
                }
                else
                {
                    bytes[at] ^= xor;
                }

                File.WriteAllBytes(victim, bytes);

                StoredState loaded = store().Load(Documents.DeviceId);

                Assert.True(Documents.Same(loaded, StoredState.Empty) || Documents.Same(loaded, state), "a damaged state file loaded as another state");
            },
            seed: Seeds.Readers,
            iter: 60,
            threads: 1);
    }

    private static Func<StateStore> Stores(TempDirectory temp, bool encrypted)
    {
        string directory = temp.Combine("state");
        if (!encrypted)
        {
            return () => StoreSamples.CreateStore(directory);
        }

        string keyFile = KeyEncryptionSamples.WriteKeyFile(temp.Combine("kek"));
        return () => KeyEncryptionSamples.CreateStore(directory, keyFile);
    }
}
