using Provisioning.Daemon.Fuzz;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>
/// Every file of the checked-in fuzz corpus (tests/Fuzz/corpus/TARGET/: the seeds, and every input that ever failed,
/// which bench/fuzz/run.sh adds there) through its target: the reader keeps all its promises on each of them.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> CorpusFiles()
    {
        var files = new TheoryData<string, string>();
        foreach (FuzzTarget target in FuzzTarget.All)
        {
            foreach (string file in Directory.EnumerateFiles(CorpusFolder(target.Name)).Order(StringComparer.Ordinal))
            {
                files.Add(target.Name, Path.GetFileName(file));
            }
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void CorpusReplay_EveryFile_ReaderKeepsItsPromises(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(CorpusFolder(target), file));

        FuzzTarget.Named(target).Run(input);
    }

    [Fact]
    public void CorpusReplay_EachTargetHasSeedsItAcceptsAndSeedsItRefuses()
    {
        foreach (FuzzTarget target in FuzzTarget.All)
        {
            bool[] verdicts = [.. Directory.EnumerateFiles(CorpusFolder(target.Name)).Select(file => target.Run(File.ReadAllBytes(file)))];

            Assert.True(verdicts.Length >= 3, $"{target.Name}: {verdicts.Length} seeds");
            Assert.Contains(true, verdicts);
            Assert.Contains(false, verdicts);
        }
    }

    [Theory]
    [InlineData("state", "0-state-file")]
    [InlineData("state", "1-payload")]
    [InlineData("state", "2-key-material")]
    [InlineData("state", "3-sealed-key-material")]
    [InlineData("answer", "200-provisioning")]
    [InlineData("answer", "202-operation")]
    [InlineData("jsonrpc", "index-params.json")]
    public void CorpusReplay_ValidSeeds_AreAccepted_SoTheFuzzerStartsPastTheChecksums(string target, string file)
    {
        Assert.True(FuzzTarget.Named(target).Run(File.ReadAllBytes(Path.Combine(CorpusFolder(target), file))));
    }

    private static string CorpusFolder(string target) => Repository.Combine("tests", "Fuzz", "corpus", target);
}
