using System.Text.RegularExpressions;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>
/// The shell blocks of README.md that a test runs as an operator would: each follows a
/// `&lt;!-- test: NAME --&gt;` marker. As root inside the container, `sudo ` is dropped.
/// </summary>
internal static partial class ReadmeCommands
{
    public static string Block(string name)
    {
        string readme = File.ReadAllText(Path.Combine(RealSystemdFixture.Repository, "README.md"));
        Match block = Marked().Matches(readme).SingleOrDefault(m => m.Groups["name"].Value == name)
            ?? throw new InvalidOperationException($"README.md has no block marked '{name}'");
        return block.Groups["body"].Value;
    }

    /// <summary>The block as a script for `sh -e -c`: continuation lines joined, `sudo ` dropped, lines kept in order.</summary>
    public static string Script(string block) =>
        string.Join('\n', block.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(line => Sudo().Replace(line, string.Empty)));

    [GeneratedRegex(@"<!-- test: (?<name>[\w-]+) -->\n```sh\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Marked();

    [GeneratedRegex(@"(?<=^|[|&;]\s*|\s)sudo (?!edit)")]
    private static partial Regex Sudo();
}
