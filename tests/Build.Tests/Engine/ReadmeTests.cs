using System.Text.RegularExpressions;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>README.md is the new user's runbook: its pasted --help and its per-target sections follow the build.</summary>
public partial class ReadmeTests : IDisposable
{
    const string Begin = "<!-- help:begin -->";
    const string End = "<!-- help:end -->";

    readonly TempDirectory _root = new();
    readonly string _readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

    public void Dispose() => _root.Dispose();

    string Help()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, "--help", "--no-logo");
        Assert.Equal(0, run.ExitCode);
        return run.Output;
    }

    [Fact]
    public void The_pasted_help_is_what_the_build_prints()
    {
        var begin = _readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = _readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md has no {Begin} ... {End} block.");
        var pasted = Fence().Replace(_readme[(begin + Begin.Length)..end], "");

        Assert.True(Normalize(Help()) == Normalize(pasted),
            "README.md's --help block is stale: paste the output of `./build.sh --help --no-logo` between the help markers.");
    }

    [Fact]
    public void Every_listed_target_has_a_section()
    {
        var targets = TargetLine().Matches(Help()).Select(m => m.Groups[1].Value).ToList();
        // A target's section may also live on its topic page in docs/.
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "docs"), "*.md").Select(File.ReadAllText).Prepend(_readme);
        var headings = pages.SelectMany(page => page.Split('\n')).Where(line => line.StartsWith('#')).ToList();

        Assert.Contains("Deploy", targets);
        Assert.All(targets, target => Assert.True(headings.Any(h => Regex.IsMatch(h, $@"\b{target}\b")), $"Neither README.md nor docs/ has a heading naming {target}."));
    }

    static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(line => line.TrimEnd())).Trim('\n');

    [GeneratedRegex(@"^\s*```[a-z]*\s*$", RegexOptions.Multiline)]
    private static partial Regex Fence();

    /// <summary>A target line of --help: two spaces, the name, then its dependencies or description.</summary>
    [GeneratedRegex(@"^  ([A-Z][A-Za-z]+)(?: \(default\))?\s{2,}", RegexOptions.Multiline)]
    private static partial Regex TargetLine();
}
