using System.Diagnostics;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>FinalSnapshot: snapshots the stack's data volume with the contract's tags and waits (bounded) until it is completed.</summary>
public class FinalSnapshotTests : AwsTestBed
{
    public FinalSnapshotTests() => Deployed();

    [Fact]
    public void Creates_a_tagged_snapshot_and_waits_until_it_is_completed()
    {
        var run = Run("FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        var snapshotId = Aws.Snapshots.Single().Id;
        Assert.Equal(snapshotId, LastBuild!.CompletedFinalSnapshotId);
        Assert.Equal(
        [
            $"DescribeVolumes VolumeId.1={VolumeId}",
            "DescribeSnapshots Filter.1.Name=tag:CreatedBy Filter.1.Value.1=manual-final Filter.2.Name=tag:OpenClawStack Filter.2.Value.1=dev MaxResults=1000 Owner.1=self",
            "CreateSnapshot Description=openclaw final snapshot before destroy (stack dev) TagSpecification.1.ResourceType=snapshot " +
            "TagSpecification.1.Tag.1.Key=OpenClawData TagSpecification.1.Tag.1.Value=true TagSpecification.1.Tag.2.Key=OpenClawStack TagSpecification.1.Tag.2.Value=dev " +
            "TagSpecification.1.Tag.3.Key=OpenClawAz TagSpecification.1.Tag.3.Value=me-central-1a TagSpecification.1.Tag.4.Key=CreatedBy TagSpecification.1.Tag.4.Value=manual-final " +
            $"VolumeId={VolumeId}",
            $"DescribeSnapshots SnapshotId.1={snapshotId}",
            $"DescribeSnapshots SnapshotId.1={snapshotId}",
            $"DescribeSnapshots SnapshotId.1={snapshotId}",
        ], Aws.Requests.Select(r => r.Text));
        Assert.Contains($"Snapshot {snapshotId}: pending (60%)", run.Output);
        Assert.Contains($"Final snapshot {snapshotId} is completed (tags OpenClawStack=dev, OpenClawAz=me-central-1a, CreatedBy=manual-final).", run.Output);
    }

    [Fact]
    public void Acts_in_the_region_the_stack_was_deployed_in_whatever_AWS_REGION_says()
    {
        Stack.WithOutput("region", Fakes.FakeAws.Region);
        Environment["AWS_REGION"] = "eu-west-1";

        var run = Run("FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(Aws.Requests, r => Assert.Contains($"/{Fakes.FakeAws.Region}/ec2/aws4_request", r.Authorization));
    }

    [Fact]
    public void A_snapshot_in_error_fails_the_target()
    {
        Aws.NewSnapshotStates = [("pending", "10%"), ("error", "10%")];

        var run = Run("FinalSnapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"ERROR: Snapshot snap-[0-9a-f]{17} failed \(state error: no reason given\); nothing was destroyed — run FinalSnapshot again\.", run.Output);
        Assert.Null(LastBuild!.CompletedFinalSnapshotId);
    }

    [Fact]
    public void Waiting_is_bounded_by_the_wait_timeout()
    {
        Aws.NewSnapshotStates = [("pending", "5%")];
        var stopwatch = Stopwatch.StartNew();
        var started = Time.GetUtcNow();

        var run = Run("FinalSnapshot", "--wait-timeout", "1m");

        Assert.Equal(1, run.ExitCode);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(40)); // the run's clock jumps: far less than the 60 s it waits
        Assert.Matches(@"ERROR: Snapshot snap-[0-9a-f]{17} is still pending \(5%\) after 00:01:00; nothing was destroyed", run.Output);
        // A poll every 5 s of the run's clock: at 0, 5, ..., 60 s; the next would end after the timeout.
        // Counted from the create on: before it, one look-up for an in-progress final snapshot to resume.
        var polls = Aws.Requests.SkipWhile(r => r.Action != "CreateSnapshot").Count(r => r.Action == "DescribeSnapshots");
        Assert.InRange(polls, 2, 25);
        Assert.Equal(13, polls);
        Assert.Equal(TimeSpan.FromSeconds(60), Time.GetUtcNow() - started);
        Assert.Null(LastBuild!.CompletedFinalSnapshotId);
    }

    [Fact]
    public void A_throttled_create_is_retried_and_makes_one_snapshot()
    {
        Aws.Throttle("CreateSnapshot");

        var run = Run("FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(2, Aws.Requests.Count(r => r.Action == "CreateSnapshot"));
        Assert.Single(Aws.Snapshots);
    }

    [Fact]
    public void A_stack_without_a_data_volume_is_one_sentence_and_no_call()
    {
        Stack.Outputs.Clear();

        var run = Run("FinalSnapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev has no data_volume_id output (never deployed?), so there is nothing to snapshot; pass --skip FinalSnapshot to destroy without one.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void A_volume_AWS_does_not_know_is_one_sentence_and_no_snapshot()
    {
        Aws.Volumes.Clear();

        var run = Run("FinalSnapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Data volume {VolumeId} does not exist in me-central-1; run ./build.sh Refresh so the stack outputs match AWS.", run.Output);
        Assert.Empty(Aws.Mutating);
    }
}
