using System.Text.RegularExpressions;
using Runbook.Tests.Aws;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Docs;

/// <summary>
/// Every example block in docs/*.md (<c>&lt;!-- example: Target --args --&gt;</c> ... <c>&lt;!-- example:end --&gt;</c>) is what
/// the build prints for those arguments against the fake AWS and the deployed stack "dev" below. APPROVE=1 (the
/// repository's one accept flow, docs/testing.md) rewrites a stale block from the build's output.
/// </summary>
public partial class DocsExamplesTests : AwsTestBed
{
    public DocsExamplesTests()
    {
        Deployed();
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", new DateTime(2026, 11, 28, 3, 15, 0, DateTimeKind.Utc)));
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0c3d4e5f607182a9b", "dev", "me-central-1a", new DateTime(2026, 10, 18, 13, 35, 0, DateTimeKind.Utc), createdBy: "manual-final"));
    }

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in DocsFolder.Pages())
            foreach (Match match in Example().Matches(File.ReadAllText(file)))
                data.Add(Path.GetFileName(file), match.Groups["args"].Value.Trim());
        return data;
    }

    [Fact]
    public void The_docs_hold_examples() => Assert.NotEmpty(Examples());

    [Theory]
    [MemberData(nameof(Examples))]
    public void An_example_is_what_the_build_prints(string page, string arguments)
    {
        var file = Path.Combine(DocsFolder.Path, page);
        var text = File.ReadAllText(file);
        var block = Example().Matches(text).Single(m => m.Groups["args"].Value.Trim() == arguments).Groups["text"];
        var run = Run([.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--no-logo"]);

        var printed = $"$ ./build.sh {arguments}\n{WithoutSummary(run.Output)}";
        if (Normalize(printed) != Normalize(block.Value) && System.Environment.GetEnvironmentVariable("APPROVE") == "1")
        {
            File.WriteAllText(file, text[..block.Index] + Normalize(printed) + "\n" + text[(block.Index + block.Length)..]);
            return;
        }
        Assert.True(Normalize(printed) == Normalize(block.Value),
            $"docs/{page}: the example `./build.sh {arguments}` is stale (accept with APPROVE=1); the build prints:\n{Normalize(printed)}");
    }

    /// <summary>The closing table of targets and durations changes every run; the example shows it as one line.</summary>
    static string WithoutSummary(string output)
    {
        var lines = output.Replace("\r\n", "\n").Split('\n').ToList();
        var table = lines.FindLastIndex(line => line.TrimStart().StartsWith("Target") && line.Contains("Duration"));
        if (table < 0) return output;
        var start = table > 0 && lines[table - 1].Trim().Length > 0 && lines[table - 1].Trim().Trim('═', '─', '━').Length == 0 ? table - 1 : table;
        var verdict = lines.FindIndex(table, line => line.StartsWith("Build succeeded") || line.StartsWith("Build failed"));
        return string.Join('\n', lines.Take(start).Append("[summary table]").Concat(verdict < 0 ? [] : lines.Skip(verdict)));
    }

    /// <summary>Trailing blanks dropped, and a target's header rule (as wide as the console) cut to its name.</summary>
    static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(line => HeaderRule().Replace(line.TrimEnd(), "$1──"))).Trim('\n');

    [GeneratedRegex(@"^(── [A-Za-z]+ )─+$")]
    private static partial Regex HeaderRule();

    [GeneratedRegex(@"<!-- example: (?<args>[^>]+?) -->\s*```text\n(?<text>.*?)```\s*<!-- example:end -->", RegexOptions.Singleline)]
    private static partial Regex Example();
}
