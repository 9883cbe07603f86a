using System.Text.RegularExpressions;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Layers;

/// <summary>
/// The folders of the daemon are layers: the graph drawn in docs/architecture.md is the graph the compiled
/// daemon has, edge for edge, and it has no circle. A new use of one folder by another fails here until the
/// drawing (and so the design) says it is allowed.
/// </summary>
public sealed partial class FolderGraphTests
{
    private static readonly string DaemonAssembly = typeof(Provisioning.Daemon.Engine.ProvisioningEngine).Assembly.Location;

    [Fact]
    public void The_compiled_daemon_uses_exactly_the_folders_the_architecture_draws()
    {
        SortedSet<(string From, string To)> compiled = FolderGraph.Read(DaemonAssembly);
        SortedSet<(string From, string To)> drawn = DrawnGraph();

        Assert.Empty(compiled.Except(drawn).Select(e => $"{e.From} --> {e.To} is used but not drawn"));
        Assert.Empty(drawn.Except(compiled).Select(e => $"{e.From} --> {e.To} is drawn but not used"));
    }

    [Fact]
    public void No_folder_takes_part_in_a_circle()
    {
        Assert.Empty(FolderGraph.InCircles(FolderGraph.Read(DaemonAssembly)));
    }

    [Fact]
    public void The_leaves_use_no_other_folder()
    {
        SortedSet<(string From, string To)> compiled = FolderGraph.Read(DaemonAssembly);

        Assert.DoesNotContain(compiled, e => e.From is "Common" or "Model");
    }

    [Fact]
    public void The_circle_finder_finds_a_circle_of_two_and_of_three()
    {
        Assert.Equal(["A", "B"], FolderGraph.InCircles([("A", "B"), ("B", "A"), ("B", "C")]));
        Assert.Equal(["A", "B", "C"], FolderGraph.InCircles([("A", "B"), ("B", "C"), ("C", "A"), ("D", "A")]));
        Assert.Empty(FolderGraph.InCircles([("A", "B"), ("B", "C"), ("A", "C")]));
    }

    private static SortedSet<(string From, string To)> DrawnGraph()
    {
        string doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        Match block = MermaidBlock().Match(doc);
        Assert.True(block.Success, "docs/architecture.md has no ```mermaid block");
        return new SortedSet<(string, string)>(
            Edge().Matches(block.Groups[1].Value).Select(m => (m.Groups[1].Value, m.Groups[2].Value)));
    }

    [GeneratedRegex("```mermaid\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"^\s*(\w+)\s*-->\s*(\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Edge();
}
