using Runbook.Tests.Harness;
using BuildEngine;
using Xunit;

namespace Runbook.Tests.Engine;

public class PlannerTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    List<string> Run(params string[] args)
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, args);
        Assert.True(run.ExitCode == 0, run.Output);
        return build.Ran;
    }

    [Fact]
    public void DependsOn_runs_dependencies_first_and_DependentFor_adds_a_dependency() =>
        Assert.Equal(["Restore", "Lint", "Compile"], Run("Compile"));

    [Fact]
    public void After_orders_without_adding_targets() =>
        Assert.Equal(["Clean", "Restore", "Lint", "Compile"], Run("Compile", "Clean"));

    [Fact]
    public void After_does_not_pull_the_target_in()
    {
        Assert.DoesNotContain("Clean", Run("Compile"));
    }

    [Fact]
    public void Before_orders_the_declaring_target_first() =>
        Assert.Equal(["Announce", "Restore"], Run("Restore", "Announce"));

    [Fact]
    public void Triggers_and_TriggeredBy_add_targets_after_the_trigger() =>
        Assert.Equal(["Restore", "Lint", "Compile", "Test", "Report", "Notify"], Run("Test"));

    [Fact]
    public void Default_target_runs_without_arguments() =>
        Assert.Equal(["Restore", "Lint", "Compile"], Run());

    [Fact]
    public void Target_option_and_positional_targets_are_the_same() =>
        Assert.Equal(Run("Test"), Run("--target", "Test"));

    [Fact]
    public void Skip_named_target_skips_only_it()
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, "Compile", "--skip", "Lint");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Restore", "Compile"], build.Ran);
        Assert.Contains("Skipping Lint: --skip", run.Output);
    }

    [Fact]
    public void Bare_skip_skips_every_dependency()
    {
        var build = new RelationsBuild();
        BuildRun.Of(build, x => x.Compile, _root.Path, null, "Test", "--skip");
        Assert.Equal(["Test"], build.Ran);
    }

    [Fact]
    public void Static_condition_skip_prints_the_condition_text()
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, "Optional");
        Assert.Empty(build.Ran);
        Assert.Contains("Skipping Optional: condition false: () => WithOptional", run.Output);

        var enabled = new RelationsBuild();
        BuildRun.Of(enabled, x => x.Compile, _root.Path, null, "Optional", "--with-optional");
        Assert.Equal(["Optional"], enabled.Ran);
    }

    [Fact]
    public void Static_condition_with_a_reason_skips_with_that_reason_and_dependents_still_run()
    {
        var build = new ConditionsBuild();
        var run = BuildRun.Of(build, x => x.Teardown, _root.Path, null, "Teardown", "--ephemeral");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Teardown"], build.Ran);
        Assert.Contains("Skipping Snapshot: ephemeral keeps no data", run.Output);
        Assert.DoesNotContain("condition false: () => KeepsData", run.Output);
        Assert.Contains("Skipping Check: condition false: () => Ran.Count > 100", run.Output);

        var keeping = new ConditionsBuild();
        BuildRun.Of(keeping, x => x.Teardown, _root.Path, null, "Teardown");
        Assert.Equal(["Snapshot", "Teardown"], keeping.Ran);
    }

    [Fact]
    public void Plan_shows_a_static_skip_with_its_reason_and_a_dynamic_condition_as_decided_later()
    {
        var build = new ConditionsBuild();
        var run = BuildRun.Of(build, x => x.Teardown, _root.Path, null, "Teardown", "--ephemeral", "--plan");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("""
            Execution plan:
              1. Snapshot (skipped: ephemeral keeps no data)
              2. Check (only when () => Ran.Count > 100, decided when it runs)
              3. Teardown (invoked)
            """.ReplaceLineEndings("\n"), run.Output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("Skipping", run.Output);
        var markdown = File.ReadAllText(_root.Combine(".nuke", "temp", "execution-plan.md"));
        Assert.Contains("class Check,Teardown scheduled", markdown);
        Assert.Contains("class Snapshot skipped", markdown);

        var keeping = BuildRun.Of(new ConditionsBuild(), x => x.Teardown, _root.Path, null, "Teardown", "--plan");
        Assert.Contains("  1. Snapshot\n  2. Check (only when", keeping.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Plan_shows_skip_option_targets_as_skipped()
    {
        var run = BuildRun.Of(new ConditionsBuild(), x => x.Teardown, _root.Path, null, "Teardown", "--skip", "Snapshot", "--plan");
        Assert.Contains("1. Snapshot (skipped: --skip)", run.Output);
    }

    [Fact]
    public void Plan_keeps_a_target_whose_static_condition_throws_and_says_why_it_is_undecided_while_a_run_fails()
    {
        var plan = BuildRun.Of(new ConditionsBuild(), x => x.Teardown, _root.Path, null, "Teardown", "--unreadable", "--plan");
        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("1. Snapshot (only when ephemeral keeps no data (not decided: the stack's outputs cannot be read))", plan.Output);

        var build = new ConditionsBuild();
        var run = BuildRun.Of(build, x => x.Teardown, _root.Path, null, "Teardown", "--unreadable");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("the stack's outputs cannot be read.", run.Output);
    }

    [Fact]
    public void Dynamic_condition_is_evaluated_when_the_target_is_reached()
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, "Late");
        Assert.Empty(build.Ran);
        Assert.Contains("condition false: () => Ran.Count > 100", run.Output);
    }

    [Fact]
    public void Requires_fails_before_any_target_runs()
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, "Greet");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Target Greet requires parameter --name", run.Output);
    }

    [Fact]
    public void Requires_is_met_by_a_parameter()
    {
        Assert.Equal(["Restore", "Greet Ada"], Run("Greet", "--name", "Ada"));
    }

    [Fact]
    public void Cycles_are_reported_with_their_names()
    {
        var run = BuildRun.Of(new CycleBuild(), x => x.A, _root.Path, null, "A");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"cycle: (A -> C -> B -> A|B -> A -> C -> B|C -> B -> A -> C)", run.Output);
    }

    [Fact]
    public void Plan_option_prints_the_order_and_writes_a_mermaid_graph_without_running()
    {
        var build = new RelationsBuild();
        var run = BuildRun.Of(build, x => x.Compile, _root.Path, null, "Test", "--plan");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("1. Restore\n  2. Lint\n  3. Compile\n  4. Test (invoked)\n  5. Report\n  6. Notify", run.Output.Replace("\r\n", "\n"));
        var markdown = File.ReadAllText(_root.Combine(".nuke", "temp", "execution-plan.md"));
        Assert.Contains("Restore --> Compile", markdown);
        Assert.Contains("Test -. triggers .-> Report", markdown);
        Assert.Contains("class Restore,Lint,Compile,Test,Report,Notify scheduled", markdown);
        Assert.DoesNotContain("Clean,", markdown);
        Assert.True(File.Exists(_root.Combine(".nuke", "temp", "execution-plan.html")));
    }

    [Fact]
    public void Unknown_target_exits_non_zero_with_a_suggestion()
    {
        var run = BuildRun.Of(new RelationsBuild(), x => x.Compile, _root.Path, null, "Complie");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown target 'Complie'. Did you mean 'Compile'?", run.Output);
    }

    [Fact]
    public void Unknown_parameter_exits_non_zero_with_a_suggestion()
    {
        var run = BuildRun.Of(new RelationsBuild(), x => x.Compile, _root.Path, null, "Compile", "--nmae", "x");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Unknown parameter '--nmae'. Did you mean '--name'?", run.Output);
    }
}
