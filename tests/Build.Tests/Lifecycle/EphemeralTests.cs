using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>
/// persistence: ephemeral: Destroy skips FinalSnapshot with its reason (also in --plan), and a deployed stack with a data
/// volume is switched to ephemeral only when a completed manual-final snapshot of that volume exists.
/// </summary>
public class EphemeralTests : StackTestBed
{
    const string SkipLine = "FinalSnapshot (skipped: persistence: ephemeral keeps no data volume)";
    static readonly Dictionary<string, string> EphemeralConfig = new()
    {
        ["openclaw:persistence"] = "ephemeral", ["openclaw:availability_zone"] = "me-central-1a", ["aws:region"] = "me-central-1",
    };

    [Fact]
    public void Plan_of_Destroy_shows_FinalSnapshot_skipped_with_the_reason_for_an_ephemeral_stack_only()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs-ephemeral.json");
        var ephemeral = Pulumi.Run("Destroy", "--plan");
        Assert.True(ephemeral.ExitCode == 0, ephemeral.Output);
        Assert.Contains($"Execution plan:\n  1. {SkipLine}\n  2. Destroy (invoked)\n", ephemeral.Output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls);

        Pulumi.WithStack("prod", outputsScenario: "outputs.json");
        var snapshots = Pulumi.Run("Destroy", "--plan", "--stack", "prod");
        Assert.Contains("Execution plan:\n  1. FinalSnapshot\n  2. Destroy (invoked)\n", snapshots.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Destroy_of_an_ephemeral_stack_skips_FinalSnapshot_snapshots_nothing_and_says_nothing_was_kept()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs-ephemeral.json");
        Aws.Instances.Add(new FakeInstance(InstanceId, "running"));

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Skipping FinalSnapshot: persistence: ephemeral keeps no data volume", run.Output);
        Assert.Contains("FinalSnapshot was skipped (persistence: ephemeral keeps no data volume): the state on the instance's root volume goes with the stack.", run.Output);
        Assert.DoesNotContain("!!!", run.Output);
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
        Assert.DoesNotContain("CreateSnapshot", Aws.Actions);
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
        Assert.Contains("Stack dev is destroyed. It was persistence: ephemeral: no data volume, snapshot or backup bucket was kept.", run.Output);
        Assert.DoesNotContain("backup bucket (output backup_bucket", run.Output);
    }

    [Fact]
    public void Switching_a_deployed_snapshots_stack_to_ephemeral_without_a_final_snapshot_is_refused_by_Deploy_and_Preview()
    {
        Pulumi.WithStack("dev", EphemeralConfig, "outputs.json").AnswerWithScenario("preview", "preview-ephemeral.json");
        DeployedInAws();
        // Neither a DLM snapshot, nor a pending final one, nor a final one of another volume will do.
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", DateTime.UtcNow.AddHours(-3)));
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0b1b2c3d4e5f60718", "dev", "me-central-1a", DateTime.UtcNow.AddHours(-1), "manual-final", "pending"));
        Aws.Snapshots.Add(new FakeSnapshot
        {
            Id = "snap-0c1b2c3d4e5f60718", VolumeId = "vol-0ffffffffffffffff",
            Tags = FakeSnapshot.OfStack("x", "dev", "me-central-1a", DateTime.UtcNow, "manual-final").Tags,
        });

        var deploy = Deploy();

        Assert.Equal(1, deploy.ExitCode);
        Assert.Contains("ERROR: Not switching: stack dev is deployed with persistence: snapshots and its config now says ephemeral, which deletes its data volume, " +
                        $"DLM policy and backup mirror, and it has no completed manual-final snapshot of {VolumeId} to restore from. " +
                        "Run ./build.sh FinalSnapshot --stack dev first (or set persistence back to snapshots).", deploy.Output);
        Assert.DoesNotContain(Up, Pulumi.Calls);
        Assert.Empty(Aws.Mutating);

        var preview = Pulumi.RunWith(Aws, "Preview");
        Assert.Equal(1, preview.ExitCode);
        Assert.Contains("preview --json --stack dev --non-interactive", Pulumi.Calls);
        Assert.Contains("ERROR: Not switching: stack dev is deployed with persistence: snapshots", preview.Output);
    }

    [Fact]
    public void Switching_to_ephemeral_proceeds_once_a_completed_final_snapshot_of_the_volume_exists()
    {
        Pulumi.WithStack("dev", EphemeralConfig, "outputs.json").AnswerWithScenario("preview", "preview-ephemeral.json");
        DeployedInAws();
        Aws.NewSnapshotStates = [("completed", "100%")];
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0d1b2c3d4e5f60718", "dev", "me-central-1a", DateTime.UtcNow.AddMinutes(-10), "manual-final"));

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("WARNING: Switching: stack dev is deployed with persistence: snapshots and its config now says ephemeral", run.Output);
        Assert.Contains("its data stays in the final snapshot snap-0d1b2c3d4e5f60718", run.Output);
        // Deploy still snapshots the newest data before pulumi deletes the volume.
        Assert.Equal(2, Aws.Snapshots.Count);
        Assert.Contains(Up, Pulumi.Calls);
    }

    [Fact]
    public void Deploy_of_a_stack_that_stays_ephemeral_looks_for_no_snapshot()
    {
        Pulumi.WithStack("dev", EphemeralConfig, "outputs-ephemeral.json").AnswerWithScenario("preview", "preview-one-update.json");

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain("DescribeSnapshots", Aws.Actions);
        Assert.Contains(Up, Pulumi.Calls);
    }
}
