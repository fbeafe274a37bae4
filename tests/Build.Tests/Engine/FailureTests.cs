using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

public class FailureTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    [Fact]
    public void A_failure_stops_the_build_but_assured_targets_still_run()
    {
        var build = new FailureBuild();
        var run = BuildRun.Of(build, x => x.Cleanup, _root.Path, null, "Fails", "Independent", "Cleanup");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Fails", "Cleanup"], build.Ran);
        Assert.Contains("ERROR: Fails broke.", run.Output);
        Assert.Matches(@"Independent\s+Not run \(an earlier target failed\)", run.Output);
        Assert.Contains("Build failed.", run.Output);
    }

    [Fact]
    public void ProceedAfterFailure_lets_independent_targets_run()
    {
        var build = new FailureBuild();
        var run = BuildRun.Of(build, x => x.Cleanup, _root.Path, null, "FailsButProceeds", "Independent");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["FailsButProceeds", "Independent"], build.Ran);
        Assert.Contains("InvalidOperationException: boom", run.Output);
    }

    [Fact]
    public void Dependents_of_a_failed_target_do_not_run()
    {
        var build = new FailureBuild();
        var run = BuildRun.Of(build, x => x.Cleanup, _root.Path, null, "NeedsFails");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["Fails"], build.Ran);
        Assert.Matches(@"NeedsFails\s+Not run \(Fails did not succeed\)", run.Output);
    }

    [Fact]
    public void Summary_lists_every_target_with_status_and_duration()
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, "Compile", "--skip", "Lint");
        Assert.Matches(@"Restore\s+Succeeded\s+\d+\.\ds", run.Output);
        Assert.Matches(@"Lint\s+Skipped \(--skip\)", run.Output);
        Assert.Contains("Build succeeded.", run.Output);
    }
}
