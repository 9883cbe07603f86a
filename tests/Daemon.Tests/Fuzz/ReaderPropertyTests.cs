using System.Security.Cryptography;
using CsCheck;
using Provisioning.Daemon.Fuzz;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>
/// The fuzz targets' promises (no exception but the reader's own verdict, allocation bounded by the input, results
/// that keep the reader's rules, round trips) on corpus files with random edits and on random bytes: the short,
/// seeded run in CI of what bench/fuzz/run.sh does at length. A failing input is written to the corpus folder
/// (shrunk), so that it stays a regression test once fixed.
/// </summary>
public sealed class ReaderPropertyTests
{
    [Theory]
    [InlineData("jsonrpc", 20_000)]
    [InlineData("answer", 20_000)]
    [InlineData("state", 2_000)]
    public void MutatedCorpusAndRandomBytes_ReaderKeepsItsPromises(string name, int iterations)
    {
        FuzzTarget target = FuzzTarget.Named(name);
        string corpus = Repository.Combine("tests", "Fuzz", "corpus", name);
        byte[][] seeds = [.. Directory.EnumerateFiles(corpus).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];
        byte[]? smallestFailure = null;
        var gate = new Lock();

        try
        {
            InputGen.From(seeds).Sample(
                input =>
                {
                    try
                    {
                        _ = target.Run(input);
                    }
                    catch
                    {
                        lock (gate)
                        {
                            if (smallestFailure is null || input.Length < smallestFailure.Length)
                            {
                                smallestFailure = input;
                            }
                        }

                        throw;
                    }
                },
                seed: Seeds.Readers,
                iter: iterations,
                print: Convert.ToHexString);
        }
        catch when (smallestFailure is not null)
        {
            string file = Path.Combine(corpus, "property-" + Convert.ToHexStringLower(SHA256.HashData(smallestFailure))[..12]);
            File.WriteAllBytes(file, smallestFailure);
            throw;
        }
    }
}
