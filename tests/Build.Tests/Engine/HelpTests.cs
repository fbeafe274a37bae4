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

public class HelpOrderTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    [Fact]
    public void Help_lists_areas_in_the_declared_order_then_the_unlisted_ones_by_name()
    {
        var run = BuildRun.Of(new AreasBuild(), x => x.Pack, _root.Path, null, "--help", "--no-logo");

        var targets = new[] { "Up", "Down", "Pack (default)", "Alpha", "Zeta" }.Select(t => run.Output.IndexOf($"\n  {t} ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, targets);
        Assert.Equal(targets.Order(), targets);
        var parameters = new[] { "--deploy-parameter", "--main-parameter", "--tool-parameter" }.Select(p => run.Output.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, parameters);
        Assert.Equal(parameters.Order(), parameters);
    }

    [Fact]
    public void The_build_project_lists_no_files_so_a_new_area_file_needs_no_project_edit()
    {
        var project = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "build", "_build.csproj"));
        Assert.DoesNotMatch(@"<Compile\s+(Include|Remove)=""Build", project);
    }
}
