using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

public class HelpTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    [Fact]
    public void Runbook_help_matches_the_approved_text()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, "--help", "--no-logo");
        Assert.Equal(0, run.ExitCode);
        Approvals.Verify(run.Output, "runbook-help");
    }

    [Fact]
    public void Help_lists_direct_dependencies_and_marks_the_default()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, "--help");
        Assert.Matches(@"\n  Help \(default\)\s", run.Output);
        Assert.Matches(@"\n  ConfigureAz\s+-> SpotPrices\n", run.Output);
        Assert.Matches(@"\n  Deploy\s+-> ConfigureAz\n", run.Output);
        Assert.Matches(@"\n  Destroy\s+-> FinalSnapshot\n", run.Output);
        Assert.Matches(@"\n  Redeploy\s+-> Refresh\n", run.Output);
        Assert.Contains("--stack", run.Output);
    }

    [Fact]
    public void Running_without_arguments_shows_the_help()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Targets (with their direct dependencies):", run.Output);
    }
}
