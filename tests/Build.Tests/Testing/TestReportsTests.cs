using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Testing;

/// <summary>The Test target's counts come from these readers; a wrong count would hide failures in CI.</summary>
public class TestReportsTests : IDisposable
{
    readonly TempDirectory _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Tap_counts_passes_failures_and_skips()
    {
        string[] tap =
        [
            "1..5", "ok 1 mounts a blank device", "not ok 2 keeps xfs data", "# (in test file x.bats, line 3)",
            "ok 3 partitioned device untouched # skip needs root", "ok 4 restore onto empty volume", "not ok 5 bounded wait",
        ];
        Assert.Equal((2, 2, 1), TestReports.FromTap(tap));
    }

    [Fact]
    public void Trx_counts_failed_errors_and_not_executed()
    {
        var path = _dir.Combine("r.trx");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Failed">
                <Counters total="10" executed="9" passed="7" failed="1" error="1" timeout="0" aborted="0" />
              </ResultSummary>
            </TestRun>
            """);
        Assert.Equal((7, 2, 1), TestReports.FromTrx(path));
    }

    [Fact]
    public void Vitest_json_counts_pending_and_todo_as_skipped()
    {
        var path = _dir.Combine("v.json");
        File.WriteAllText(path, """{ "numTotalTests": 9, "numPassedTests": 5, "numFailedTests": 1, "numPendingTests": 2, "numTodoTests": 1 }""");
        Assert.Equal((5, 1, 3), TestReports.FromVitestJson(path));
    }
}
