using BuildEngine;
using Spectre.Console;

partial class Build
{
    [Parameter("Test suites to run (default: all).")]
    [NotEmpty]
    readonly TestSuite[] Suites = [TestSuite.Dotnet, TestSuite.Infra, TestSuite.Boot, TestSuite.OpenClaw];

    Target Test => _ => _
        .Description("Runs every test suite: C# (xunit), infra (tsc + vitest), boot scripts (bats), the real OpenClaw (bats); ends with 'N passed, N failed'.")
        .Executes(async () =>
        {
            var results = Path.Combine(ArtifactsDirectory, "test-results");
            Directory.CreateDirectory(results);
            var environment = new Dictionary<string, string>(Environment) { ["AWS_EC2_METADATA_DISABLED"] = "true" };
            if (Suites.Any(s => s != TestSuite.Dotnet)) await TestPrerequisites.EnsureAsync(environment, CancellationToken);

            var suites = new TestSuites(RootDirectory, results, environment, CancellationToken);
            var outcomes = new List<SuiteResult>();
            foreach (var suite in Suites)
            {
                Log.Information($"── {suite} suite ──");
                outcomes.Add(suite switch
                {
                    TestSuite.Dotnet => await suites.DotnetAsync(),
                    TestSuite.Infra => await suites.InfraAsync(),
                    TestSuite.OpenClaw => await suites.OpenClawAsync(),
                    _ => await suites.BootScriptsAsync(),
                });
            }
            WriteTestSummary(outcomes);
            if (outcomes.Any(o => o.Failed > 0))
                throw new BuildException($"{outcomes.Sum(o => o.Failed)} test(s) failed; see the output above and artifacts/test-results/.");
        });

    void WriteTestSummary(IReadOnlyList<SuiteResult> outcomes)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("Suite", "Passed", "Failed", "Skipped", "Duration", "Note");
        foreach (var o in outcomes)
            table.AddRow(o.Suite, o.Passed.ToString(), o.Failed.ToString(), o.Skipped.ToString(), $"{o.Duration.TotalSeconds:0}s", Markup.Escape(o.Problem ?? ""));
        Console.Write(table);
        var skipped = outcomes.Sum(o => o.Skipped);
        // The plain closing line CI reads: "N passed, N failed[, N skipped]".
        Console.Profile.Out.Writer.WriteLine($"{outcomes.Sum(o => o.Passed)} passed, {outcomes.Sum(o => o.Failed)} failed" + (skipped > 0 ? $", {skipped} skipped" : ""));
    }
}

public enum TestSuite { Dotnet, Infra, Boot, OpenClaw }
