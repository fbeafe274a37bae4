using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>
/// CleanupSnapshots: deletes the stack's manual final snapshots by id or age, after --yes, never the newest completed one
/// nor the one the stack restores from.
/// </summary>
public class CleanupSnapshotsTests : AwsTestBed
{
    const string Newest = "snap-0000000000000000a";
    const string Month = "snap-0000000000000000b";
    const string Quarter = "snap-0000000000000000c";
    const string Dlm = "snap-0000000000000000d";

    public CleanupSnapshotsTests()
    {
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Newest, "dev", "me-central-1a", Now.AddDays(-40), "manual-final"));
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Month, "dev", "me-central-1a", Now.AddDays(-45), "manual-final"));
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Quarter, "dev", "me-central-1a", Now.AddDays(-90), "manual-final"));
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Dlm, "dev", "me-central-1a", Now.AddDays(-100)));
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0000000000000000e", "prod", "me-central-1a", Now.AddDays(-100), "manual-final"));
    }

    IEnumerable<string> Deleted => Aws.Requests.Where(r => r.Action == "DeleteSnapshot").Select(r => r["SnapshotId"]!);

    [Fact]
    public void Without_ids_or_age_it_only_lists()
    {
        var run = Run("CleanupSnapshots");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches($@"{Newest}\s+completed\s+40d\s+.*keep \(newest completed\)", run.Output);
        Assert.Matches($@"{Quarter}\s+completed\s+90d", run.Output);
        Assert.DoesNotContain(Dlm, run.Output);
        Assert.DoesNotContain("snap-0000000000000000e", run.Output);
        Assert.Contains("Nothing deleted: name snapshots with --snapshot-ids or an age with --older-than.", run.Output);
        Assert.DoesNotContain("delete ", run.Output.Replace("Nothing deleted", ""));
        Assert.Equal("DescribeSnapshots Filter.1.Name=tag:CreatedBy Filter.1.Value.1=manual-final Filter.2.Name=tag:OpenClawStack Filter.2.Value.1=dev MaxResults=1000 Owner.1=self",
            Aws.Requests.Single().Text);
    }

    [Fact]
    public void Older_than_deletes_the_old_ones_but_keeps_the_newest_completed()
    {
        var run = Run("CleanupSnapshots", "--older-than", "30d", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Month, Quarter], Deleted);
        Assert.Contains(Aws.Snapshots, s => s.Id == Newest);
        Assert.Contains($"Deleted {Quarter}", run.Output);
    }

    [Fact]
    public void The_snapshot_the_stack_restores_from_is_kept_by_age()
    {
        Stack.WithConfig("data_volume_snapshot_id", Quarter);

        var run = Run("CleanupSnapshots", "--older-than", "30d", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Month], Deleted);
        Assert.Matches($@"{Quarter}\s+completed\s+90d\s+.*keep \(the stack restores from it\)", run.Output);
    }

    [Fact]
    public void The_snapshot_the_stack_restores_from_is_refused_by_id()
    {
        Stack.WithConfig("data_volume_snapshot_id", Quarter);

        var run = Run("CleanupSnapshots", "--snapshot-ids", Month, Quarter, "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {Quarter} is what stack dev restores its data volume from (data_volume_snapshot_id); CleanupSnapshots never deletes it, nothing was deleted.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Older_than_skips_younger_snapshots()
    {
        var run = Run("CleanupSnapshots", "--older-than", "60d", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Quarter], Deleted);
    }

    [Fact]
    public void Named_ids_are_deleted()
    {
        var run = Run("CleanupSnapshots", "--snapshot-ids", Quarter, "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Quarter], Deleted);
    }

    [Fact]
    public void The_newest_completed_snapshot_is_never_deleted_even_when_named()
    {
        var run = Run("CleanupSnapshots", "--snapshot-ids", Quarter, Newest, "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {Newest} is the newest completed final snapshot of stack dev; CleanupSnapshots never deletes it, nothing was deleted.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Theory]
    [InlineData(Dlm)]
    [InlineData("snap-0000000000000000e")]
    public void Only_the_stack_s_manual_final_snapshots_can_be_named(string snapshot)
    {
        var run = Run("CleanupSnapshots", "--snapshot-ids", snapshot, "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {snapshot} is not a manual final snapshot of stack dev (CreatedBy=manual-final, OpenClawStack=dev); CleanupSnapshots deletes only those, nothing was deleted.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void A_malformed_id_fails_before_any_call()
    {
        var run = Run("CleanupSnapshots", "--snapshot-ids", "snap-xyz", "--yes");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ERROR: Parameter --snapshot-ids got 'snap-xyz'; accepted: snapshot ids (snap- and 8 or 17 hex digits", run.Output);
        Assert.Empty(Aws.Requests);
    }

    const string Pending = "snap-0000000000000000f";

    void WithPendingSnapshot() =>
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Pending, "dev", "me-central-1a", Now.AddDays(-95), "manual-final", state: "pending"));

    [Fact]
    public void A_snapshot_in_progress_is_kept_by_age()
    {
        WithPendingSnapshot();

        var run = Run("CleanupSnapshots", "--older-than", "30d", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Month, Quarter], Deleted);
        Assert.Matches($@"{Pending}\s+pending 40%\s+95d\s+.*keep \(in progress\)", run.Output);
    }

    [Fact]
    public void A_snapshot_in_progress_is_refused_by_id()
    {
        WithPendingSnapshot();

        var run = Run("CleanupSnapshots", "--snapshot-ids", Quarter, Pending, "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {Pending} is still in progress (pending 40%); CleanupSnapshots deletes a pending snapshot only with --include-pending, nothing was deleted.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Include_pending_deletes_a_snapshot_in_progress_when_asked()
    {
        WithPendingSnapshot();

        var run = Run("CleanupSnapshots", "--older-than", "30d", "--include-pending", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Month, Quarter, Pending], Deleted);
    }

    [Fact]
    public void Without_yes_and_without_a_terminal_it_asks_for_yes()
    {
        var run = Run("CleanupSnapshots", "--older-than", "30d");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: CleanupSnapshots would delete 2 snapshot(s) and there is no terminal to confirm on: pass --yes to delete them.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void A_bad_age_is_a_usage_error()
    {
        var run = Run("CleanupSnapshots", "--older-than", "thirty days");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Parameter --older-than got 'thirty days'", run.Output);
        Assert.Empty(Aws.Requests);
    }
}
