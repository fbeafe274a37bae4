using BuildEngine;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>Destroy deletes the data volume: only after a final snapshot, and only when confirmed.</summary>
public class DestroyTests : StackTestBed
{
    [Theory]
    [InlineData("no terminal, no --yes", new[] { "--skip", "FinalSnapshot" },
        "ERROR: Destroy asks for confirmation and there is no terminal to ask on: pass --yes to destroy stack dev.")]
    [InlineData("another stack typed, even with --yes", new[] { "--yes", "--confirm-stack", "prod", "--skip", "FinalSnapshot" },
        "ERROR: --confirm-stack 'prod' is not the stack to destroy ('dev'); nothing was destroyed.")]
    public void Without_a_confirmation_it_destroys_nothing(string _, string[] options, string refusal)
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var run = Pulumi.Run(["Destroy", .. options]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(refusal, run.Output);
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void The_matching_typed_stack_name_and_yes_destroy()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes", "--confirm-stack", "dev", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
        Assert.Contains("Stack dev is destroyed; its snapshots remain", run.Output);
        Assert.Contains("Its backup bucket (output backup_bucket; default openclaw-dev-<account>-<region>) is kept", run.Output);
    }

    /// <summary>The stack of outputs.json, deployed; its snapshots complete at once.</summary>
    void Deployed()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");
        DeployedInAws();
        Aws.NewSnapshotStates = [("completed", "100%")];
    }

    [Fact]
    public void The_completed_final_snapshot_becomes_what_the_next_Deploy_restores()
    {
        Deployed();

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        var finalSnapshot = Assert.Single(Aws.Snapshots).Id;
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
        Assert.Equal(finalSnapshot, Pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
        Assert.Contains($"Its config now names the final snapshot {finalSnapshot} as data_volume_snapshot_id: ./build.sh Deploy --stack dev brings the data back", run.Output);
    }

    [Fact]
    public void Refused_confirmation_comes_before_the_final_snapshot()
    {
        Deployed();

        var run = Pulumi.RunWith(Aws, "Destroy");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Destroy asks for confirmation and there is no terminal to ask on: pass --yes to destroy stack dev.", run.Output);
        Assert.Empty(Aws.Requests);
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void FinalSnapshot_alone_asks_nothing()
    {
        Deployed();

        var run = Pulumi.RunWith(Aws, "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Single(Aws.Snapshots);
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
    }

    [Fact]
    public void A_failed_final_snapshot_stops_it()
    {
        Pulumi.WithStack("dev").Answer("stack-output", stderr: "error: failed to load checkpoint: access denied\n", exitCode: 255);
        var environment = new Dictionary<string, string>(Pulumi.Environment)
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDTEST", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "me-central-1", ["AWS_MAX_ATTEMPTS"] = "1",
        };

        var run = Runbook.Tests.Harness.BuildRun.Of(new global::Build(), Pulumi.Root.Path, environment, "Destroy", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"FinalSnapshot\s+Failed", run.Output);
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void Refused_unless_the_final_snapshot_completed_or_was_skipped_on_purpose()
    {
        var refusal = Assert.Throws<BuildException>(() => global::Build.RequireFinalSnapshot(null, finalSnapshotSkipped: false));
        Assert.Equal("FinalSnapshot did not report a completed snapshot, so Destroy will not delete the data volume; fix FinalSnapshot, or pass --skip FinalSnapshot to destroy without one.",
            refusal.Message);

        global::Build.RequireFinalSnapshot("snap-0a1b2c3d4e5f60718", finalSnapshotSkipped: false);
        global::Build.RequireFinalSnapshot(null, finalSnapshotSkipped: true);
    }

    [Theory]
    [InlineData("dev", true)]
    [InlineData("prod", false)]
    [InlineData("", false)]
    public void On_a_terminal_it_destroys_only_after_the_stack_name_is_typed(string typed, bool destroyed)
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");
        var console = PlainConsole.Typing(typed);

        var exitCode = BuildRunner.Run(new global::Build(), "Help", new BuildContext(["Destroy", "--skip", "FinalSnapshot"], Pulumi.EnvironmentWith(Aws), console, Pulumi.Root.Path));

        Assert.Contains("Type the stack name dev to destroy it:", console.Output);
        Assert.Equal(destroyed ? 0 : 1, exitCode);
        Assert.Equal(destroyed, Pulumi.Calls.Contains(PulumiDestroy));
        if (!destroyed) Assert.Contains($"ERROR: '{typed}' is not 'dev'; nothing was destroyed.", console.Output);
    }
}
