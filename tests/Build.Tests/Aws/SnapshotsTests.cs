using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>Snapshots lists the stack's restore candidates; Restore pins one (and its AZ) after checking it can be restored.</summary>
public class SnapshotsTests : AwsTestBed
{
    const string Newest = "snap-0a1b2c3d4e5f60718";
    const string Older = "snap-0fedcba9876543210";

    public SnapshotsTests()
    {
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Older, "dev", "me-central-1a", new DateTime(2026, 11, 20, 3, 0, 0, DateTimeKind.Utc)));
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Newest, "dev", "me-central-1b", new DateTime(2026, 11, 27, 3, 0, 0, DateTimeKind.Utc), createdBy: "manual-final"));
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0123456789abcdef0", "prod", "me-central-1c", new DateTime(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Lists_the_stack_s_snapshots_newest_first()
    {
        Aws.PageSize = 1;

        var run = Run("Snapshots");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"2026-11-27 03:00\s+snap-0a1b2c3d4e5f60718\s+me-central-1b\s+completed\s+8 GiB\s+manual-final[^\n]*\n\s+2026-11-20 03:00\s+snap-0fedcba9876543210\s+me-central-1a\s+completed\s+8 GiB\s+dlm", run.Output);
        Assert.DoesNotContain("snap-0123456789abcdef0", run.Output);
        var first = Aws.Requests[0];
        Assert.Equal("DescribeSnapshots Filter.1.Name=tag:OpenClawData Filter.1.Value.1=true Filter.2.Name=tag:OpenClawStack Filter.2.Value.1=dev MaxResults=1000 Owner.1=self", first.Text);
        Assert.Equal([null, "1"], Aws.Requests.Select(r => r["NextToken"]));
    }

    [Fact]
    public void Restore_pins_the_snapshot_and_its_zone_then_Deploy_follows_without_choosing_an_AZ()
    {
        var run = Run("Restore", "--snapshot", Older, "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"data_volume_snapshot_id={Older}", "availability_zone=me-central-1a", "aws:region=me-central-1"], Stack.Writes);
        Assert.Equal([$"DescribeSnapshots SnapshotId.1={Older}"], Aws.Requests.Select(r => r.Text));
        Assert.Matches(@"Restore\s+Succeeded[\s\S]*ConfigureAz\s+Skipped[\s\S]*Deploy\s+Skipped", run.Output);
    }

    [Fact]
    public void Restore_latest_takes_the_newest_completed_snapshot()
    {
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0000000000000000a", "dev", "me-central-1c", Now, state: "pending"));

        var run = Run("Restore", "--snapshot", "latest", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"data_volume_snapshot_id={Newest}", "availability_zone=me-central-1b", "aws:region=me-central-1"], Stack.Writes);
    }

    [Theory]
    [InlineData("snap-0a1b2c3d4e5f60799", "ERROR: Snapshot snap-0a1b2c3d4e5f60799 does not exist in me-central-1 (or is not visible to this account); list the candidates with ./build.sh Snapshots.", true)]
    [InlineData("snap-0123456789abcdef0", "ERROR: Snapshot snap-0123456789abcdef0 belongs to stack prod, not dev; restore it with --stack prod, or pick one of dev's.", true)]
    public void Restore_refuses_a_snapshot_it_cannot_use(string snapshot, string error, bool asked)
    {
        var run = Run("Restore", "--snapshot", snapshot);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(error, run.Output);
        Assert.Equal(asked, Aws.Requests.Count > 0);
        Assert.Empty(Stack.Writes);
        Assert.Empty(Aws.Mutating);
        Assert.Matches(@"Deploy\s+Not run", run.Output);
    }

    [Theory]
    [InlineData("pending", null, "ERROR: Snapshot snap-0000000000000000b is still pending (40%); wait until it is completed (./build.sh Snapshots) and run Restore again.")]
    [InlineData("error", "Internal error", "ERROR: Snapshot snap-0000000000000000b is in state error (Internal error) and cannot be restored; pick another.")]
    public void Restore_refuses_a_snapshot_that_is_not_completed(string state, string? message, string error)
    {
        var snapshot = FakeSnapshot.OfStack("snap-0000000000000000b", "dev", "me-central-1a", Now, state: state);
        snapshot.StateMessage = message;
        Aws.Snapshots.Add(snapshot);

        var run = Run("Restore", "--snapshot", "snap-0000000000000000b");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(error, run.Output);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void Restore_refuses_a_snapshot_without_its_zone_tag()
    {
        var snapshot = FakeSnapshot.OfStack("snap-0000000000000000c", "dev", "me-central-1a", Now);
        snapshot.Tags.Remove("OpenClawAz");
        Aws.Snapshots.Add(snapshot);

        var run = Run("Restore", "--snapshot", "snap-0000000000000000c");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Snapshot snap-0000000000000000c has no OpenClawAz tag, so the stack cannot know where to create the volume; tag it OpenClawAz=<az> or pick another.", run.Output);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void Restore_requires_the_snapshot_parameter()
    {
        var run = Run("Restore");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Target Restore requires parameter --snapshot", run.Output);
        Assert.Empty(Aws.Requests);
    }
}
