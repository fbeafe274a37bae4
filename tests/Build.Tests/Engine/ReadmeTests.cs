using System.Text.RegularExpressions;
using Runbook.Tests.Docs;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>
/// The docs follow the build: the --help pasted in docs/targets.md is what the build prints, every target has a
/// <c>### Target</c> section in some docs/*.md page, and the README stays short; links between them resolve.
/// </summary>
public partial class ReadmeTests : IDisposable
{
    const string Begin = "<!-- help:begin -->";
    const string End = "<!-- help:end -->";
    const string HelpPage = "targets.md";

    readonly TempDirectory _root = new();
    readonly string _readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

    public void Dispose() => _root.Dispose();

    string Help()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, "--help", "--no-logo");
        Assert.Equal(0, run.ExitCode);
        return run.Output;
    }

    List<string> Targets()
    {
        var targets = TargetLine().Matches(Help()).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("Deploy", targets);
        return targets;
    }

    [Fact]
    public void The_pasted_help_is_what_the_build_prints()
    {
        var page = File.ReadAllText(Path.Combine(DocsFolder.Path, HelpPage));
        var begin = page.IndexOf(Begin, StringComparison.Ordinal);
        var end = page.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/{HelpPage} has no {Begin} ... {End} block.");
        var pasted = Fence().Replace(page[(begin + Begin.Length)..end], "");
        if (Normalize(Help()) != Normalize(pasted) && System.Environment.GetEnvironmentVariable("APPROVE") == "1")
        {
            // The repository's one accept flow: APPROVE=1 rewrites the block from the build's own output.
            File.WriteAllText(Path.Combine(DocsFolder.Path, HelpPage), page[..(begin + Begin.Length)] + "\n```text\n" + Help().TrimEnd() + "\n```\n" + page[end..]);
            return;
        }

        Assert.True(Normalize(Help()) == Normalize(pasted),
            $"docs/{HelpPage}'s --help block is stale: accept the build's output with APPROVE=1 dotnet test tests/Build.Tests --filter ReadmeTests.");
    }

    [Fact]
    public void Every_listed_target_has_a_section_in_the_docs()
    {
        var headings = DocsFolder.Pages().SelectMany(File.ReadLines).Where(line => line.StartsWith("### ")).Select(line => line[4..].Trim()).ToHashSet();

        Assert.All(Targets(), target => Assert.True(headings.Contains(target), $"No docs/*.md page has a section `### {target}`."));
    }

    [Fact]
    public void The_readme_target_table_lists_exactly_the_targets_of_the_help()
    {
        // One row per target, `| [`Target`](docs/page.md#target) | what it does |`; the descriptions are shorter than
        // --help's on purpose, so only the names are compared.
        var listed = ReadmeTargetRow().Matches(_readme).Select(m => m.Groups[1].Value).ToList();
        var targets = Targets();

        Assert.True(listed.Order().SequenceEqual(targets.Order()),
            $"README.md's target table lists {string.Join(", ", listed)};\n--help lists {string.Join(", ", targets)}: one row per target.");
    }

    [Fact]
    public void The_readme_is_short()
    {
        var lines = _readme.Split('\n').Length;
        Assert.True(lines <= 250, $"README.md has {lines} lines; reference belongs in docs/ (the README stays at most 250 lines).");
    }

    [Fact]
    public void Links_between_the_readme_and_the_docs_resolve()
    {
        var pages = DocsFolder.Pages().Prepend(Path.Combine(RepositoryRoot.Path, "README.md")).ToList();
        var links = pages.SelectMany(page => MarkdownLink().Matches(File.ReadAllText(page))
            .Select(m => (From: page, To: m.Groups["page"].Value, Anchor: m.Groups["anchor"].Value))).ToList();

        Assert.Contains(links, link => link.To.StartsWith("docs/", StringComparison.Ordinal));
        Assert.All(links, link =>
        {
            var file = link.To.Length == 0 ? link.From : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link.From)!, link.To));
            var where = $"{Path.GetRelativePath(RepositoryRoot.Path, link.From)} links to {link.To}#{link.Anchor}";
            Assert.True(File.Exists(file), $"{where}: no such file.");
            var anchors = File.ReadLines(file).Where(line => line.StartsWith('#')).Select(Slug).ToHashSet();
            Assert.True(link.Anchor.Length == 0 || anchors.Contains(link.Anchor), $"{where}: no such heading.");
        });
    }

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens.</summary>
    static string Slug(string heading) =>
        Regex.Replace(heading.TrimStart('#').Trim().ToLowerInvariant(), @"[^\p{L}\p{N} _-]", "").Replace(' ', '-');

    /// <summary>A relative link to a markdown page and/or one of its headings: [text](page.md#anchor), [text](#anchor).</summary>
    [GeneratedRegex(@"\]\((?!https?:)(?<page>[A-Za-z0-9_./-]+\.md)?(?:#(?<anchor>[a-z0-9_-]+))?\)")]
    private static partial Regex MarkdownLink();

    static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(line => line.TrimEnd())).Trim('\n');

    [GeneratedRegex(@"^\s*```[a-z]*\s*$", RegexOptions.Multiline)]
    private static partial Regex Fence();

    /// <summary>A row of README's target table: the target's name, linked to its section.</summary>
    [GeneratedRegex(@"^\| \[`([A-Z][A-Za-z]+)`\]\(docs/[a-z-]+\.md#[a-z-]+\) \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeTargetRow();

    /// <summary>A target line of --help: two spaces, the name, then its dependencies or description.</summary>
    [GeneratedRegex(@"^  ([A-Z][A-Za-z]+)(?: \(default\))?\s{2,}", RegexOptions.Multiline)]
    private static partial Regex TargetLine();
}
