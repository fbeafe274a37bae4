using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>Move through the pulumi CLI: it pins the copy and the AZ in the stack config, then Deploy replaces the volume from it.</summary>
public class MoveDeployTests : StackTestBed
{
    public MoveDeployTests()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string>
        {
            ["openclaw:availability_zone"] = "me-central-1a", ["openclaw:instance_type"] = "t4g.small", ["aws:region"] = FakeAws.Region,
        }, outputsScenario: "outputs.json").AnswerWithScenario("preview", "preview-restore.json");
        DeployedInAws();
        Aws.WithInstanceType("t4g.small", 2, 2048, ("me-central-1a", 0.0061m), ("me-central-1b", 0.0058m));
        Aws.NewSnapshotStates = [("pending", "40%"), ("completed", "100%")];
    }

    [Fact]
    public void Move_pins_the_copy_then_Deploy_replaces_the_volume_without_another_snapshot()
    {
        var run = Pulumi.RunWith(Aws, "Move", "--availability-zone", "me-central-1b", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        var copy = Aws.Snapshots.Single(s => s.CopiedFrom is not null);
        Assert.Equal(copy.Id, Pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
        Assert.Equal("me-central-1b", Pulumi.Config("dev", "openclaw:availability_zone"));
        Assert.Contains(Up, Pulumi.Calls);
        // One final snapshot and its copy; Deploy takes no second snapshot of the replaced volume.
        Assert.Equal(["CreateSnapshot", "CopySnapshot"], Aws.Mutating.Select(r => r.Action));
        Assert.Contains($"Move put the data volume's data into {copy.Id}, which the new volume is created from; no other snapshot first.", run.Output);
        Assert.Matches(@"ConfigureAz\s+Skipped", run.Output);
        Assert.Matches(@"Deploy\s+Succeeded", run.Output);
    }
}
