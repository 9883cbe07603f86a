using System.Text;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Layers;

/// <summary>
/// Every Markdown file the code, tests, tools, deployment and benchmarks mention exists: a path from the repository
/// root or from the mentioning file's folder, or a bare file name somewhere in the repository. A renamed or removed
/// document fails here instead of leaving a reader at a dead end.
/// </summary>
public sealed partial class MarkdownMentionTests
{
    private static readonly string[] MentioningFolders = ["src", "tests", "tools", "deploy", "bench"];

    // Build and test output, and what BenchmarkDotNet writes about its own run folder (not text the project writes).
    private static readonly HashSet<string> SkippedFolders = new(["bin", "obj", ".git", ".dev", "TestResults", "BenchmarkDotNet.Artifacts"], StringComparer.Ordinal);

    [Fact]
    public void EveryMentionedMarkdownFile_Exists()
    {
        HashSet<string> names = new(FilesUnder(Repository.Root).Select(file => Path.GetFileName(file)), StringComparer.Ordinal);
        List<string> mentions = [];
        List<string> missing = [];
        foreach (string file in MentioningFolders.SelectMany(folder => FilesUnder(Repository.Combine(folder))))
        {
            if (TextOf(file) is not { } text)
            {
                continue;
            }

            foreach (string mention in MarkdownPath().Matches(text).Select(m => m.Groups[1].Value))
            {
                mentions.Add(mention);
                if (!Exists(mention, Path.GetDirectoryName(file)!, names))
                {
                    missing.Add($"{Path.GetRelativePath(Repository.Root, file)}: {mention}");
                }
            }
        }

        Assert.True(mentions.Count > 10, $"only {mentions.Count} mentions of Markdown files found");
        Assert.True(missing.Count == 0, "mentioned but not in the repository: " + string.Join("; ", missing));
    }

    private static bool Exists(string mention, string folder, HashSet<string> names) =>
        mention.Contains('/', StringComparison.Ordinal)
            ? File.Exists(Repository.Combine(mention)) || File.Exists(Path.Combine(folder, mention))
            : names.Contains(mention);

    private static IEnumerable<string> FilesUnder(string folder) =>
        Directory.EnumerateFiles(folder).Concat(
            Directory.EnumerateDirectories(folder)
                .Where(sub => !SkippedFolders.Contains(Path.GetFileName(sub)))
                .SelectMany(FilesUnder));

    /// <summary>The file as text; null for a binary file (a NUL byte near its start, e.g. a fuzz corpus entry).</summary>
    private static string? TextOf(string file)
    {
        byte[] bytes = File.ReadAllBytes(file);
        return bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0) ? null : Encoding.UTF8.GetString(bytes);
    }

    // A relative path or name ending in .md. Not one that continues a variable or an absolute path ("$OUT/api.md",
    // "/usr/share/doc/provisioningd/README.md", "$f.md") or a pattern ("*-report-github.md"): they name no file here.
    [GeneratedRegex(@"(?<![\w/.$*-])([\w.][\w.-]*(?:/[\w.-]+)*\.md)\b")]
    private static partial Regex MarkdownPath();
}
