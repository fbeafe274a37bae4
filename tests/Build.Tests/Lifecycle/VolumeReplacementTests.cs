using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>A Deploy that replaces or deletes the data volume (e.g. Restore on a running stack) snapshots it first.</summary>
public class VolumeReplacementTests : StackTestBed
{
    public VolumeReplacementTests()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["openclaw:data_volume_snapshot_id"] = "snap-0a1b2c3d4e5f60718" }, outputsScenario: "outputs.json")
            .AnswerWithScenario("preview", "preview-restore.json");
        DeployedInAws();
        Aws.NewSnapshotStates = [("pending", "40%"), ("completed", "100%")];
    }

    [Fact]
    public void The_current_volume_is_snapshotted_and_completed_before_up()
    {
        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        var snapshot = Assert.Single(Aws.Snapshots);
        Assert.Equal(VolumeId, snapshot.VolumeId);
        Assert.Equal("openclaw snapshot before Deploy replaces the data volume (stack dev)", snapshot.Description);
        Assert.Equal("manual-final", snapshot.Tags["CreatedBy"]);
        Assert.Equal("me-central-1a", snapshot.Tags["OpenClawAz"]);
        Assert.Contains(Up, Pulumi.Calls);
        Assert.Contains($"./build.sh Restore --stack dev --snapshot {snapshot.Id} brings it back.", run.Output);
    }

    [Fact]
    public void A_failed_snapshot_stops_the_deploy()
    {
        Aws.NewSnapshotStates = [("pending", "10%"), ("error", "10%")];

        var run = Deploy();

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"ERROR: Snapshot snap-[0-9a-f]{17} failed \(state error: no reason given\); nothing was deployed — run Deploy again\.", run.Output);
        Assert.DoesNotContain(Up, Pulumi.Calls);
    }

    [Fact]
    public void Told_to_it_replaces_without_a_snapshot()
    {
        var run = Deploy("--replace-volume-without-snapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("WARNING: !!! --replace-volume-without-snapshot: the data volume is replaced WITHOUT a snapshot of it", run.Output);
        Assert.Empty(Aws.Requests);
        Assert.Contains(Up, Pulumi.Calls);
    }

    [Fact]
    public void Without_outputs_it_refuses_rather_than_replace_blindly()
    {
        File.Delete(Path.Combine(Pulumi.State, "stacks", "dev", "outputs.json"));

        var run = Deploy();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Deploy would replace the data volume but stack dev has no data_volume_id output to snapshot first", run.Output);
        Assert.DoesNotContain(Up, Pulumi.Calls);
    }
}
