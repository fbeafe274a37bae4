using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>
/// Move: a final snapshot of the data volume (or, when it is gone, the newest completed snapshot), a copy of it tagged for the
/// new AZ with OpenClawMovedFrom (the recorded pass through the AZ guardrail), then the pin; across regions from DLM's copies
/// into a new stack config. Refuses without a snapshot, with a pending one, an AZ without the type, the same AZ.
/// </summary>
public class MoveTests : AwsTestBed
{
    const string RequestId = "sir-0a1b2c3d4e5f60718";
    const string Dlm = "snap-0a1b2c3d4e5f60718";

    public MoveTests()
    {
        Deployed();
        // The persistent request cannot restart the stopped instance: no capacity in me-central-1a.
        Aws.Instances[0] = new FakeInstance(InstanceId, "stopped", SpotRequestId: RequestId);
        Aws.SpotRequests.Add(new FakeSpotRequest { Id = RequestId, InstanceId = InstanceId, State = "open", StatusCode = "capacity-not-available", StatusTime = Now.AddHours(-1) });
        Aws.Snapshots.Add(FakeSnapshot.OfStack(Dlm, "dev", "me-central-1a", Now.AddHours(-5)));
        Aws.NewSnapshotStates = [("pending", "50%"), ("completed", "100%")];
    }

    IEnumerable<string> Mutations => Aws.Mutating.Select(r => r.Action);

    [Fact]
    public void Moves_to_the_AZ_snapshot_then_acknowledged_copy_then_pin()
    {
        var run = Run("Move", "--availability-zone", "me-central-1b", "--yes", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["CreateSnapshot", "CopySnapshot"], Mutations);
        var final = Aws.Snapshots.Single(s => s.Tags["CreatedBy"] == "manual-final" && s.CopiedFrom is null);
        Assert.Equal("openclaw final snapshot before Move to me-central-1b (stack dev)", final.Description);
        var copy = Aws.Snapshots.Single(s => s.CopiedFrom is not null);
        Assert.Equal(final.Id, copy.CopiedFrom);
        Assert.Equal(new Dictionary<string, string>
        {
            ["OpenClawData"] = "true", ["OpenClawStack"] = "dev", ["OpenClawAz"] = "me-central-1b", ["CreatedBy"] = "manual-final",
            ["OpenClawMovedFrom"] = $"me-central-1a/{final.Id}",
        }, copy.Tags);
        // The copy starts only once the final snapshot is completed, and the stack is pinned only once the copy is.
        var copied = Aws.Requests.Single(r => r.Action == "CopySnapshot");
        Assert.Equal($"SourceRegion=me-central-1 SourceSnapshotId={final.Id}", string.Join(" ", copied.Text.Split(' ').Where(p => p.StartsWith("Source", StringComparison.Ordinal))));
        Assert.Equal($"{copy.Id} completed", $"{copy.Id} {copy.State}");
        Assert.Equal([$"data_volume_snapshot_id={copy.Id}", "availability_zone=me-central-1b"], Stack.Writes);
        Assert.Matches(@"Move\s+Succeeded", run.Output);
        Assert.Contains("1. FinalSnapshot: snapshot the data volume in me-central-1a and wait until it is completed", run.Output);
        Assert.Contains("OpenClawMovedFrom=<its AZ>/<its id> (the recorded pass through the AZ guardrail)", run.Output);
    }

    [Fact]
    public void When_the_volume_is_gone_it_moves_the_newest_completed_snapshot_and_says_why()
    {
        Aws.Volumes.Clear();
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-00000000000000099", "dev", "me-central-1a", Now.AddDays(-2)));

        var run = Run("Move", "--availability-zone", "me-central-1b", "--yes", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"WARNING: Skipping FinalSnapshot: data volume {VolumeId} of stack dev no longer exists in me-central-1 (the instance and volume are gone); " +
                        "Move uses the newest completed snapshot.", run.Output);
        Assert.Equal(["CopySnapshot"], Mutations);
        Assert.Equal(Dlm, Aws.Snapshots.Single(s => s.CopiedFrom is not null).CopiedFrom);
        Assert.Equal($"me-central-1a/{Dlm}", Aws.Snapshots.Single(s => s.CopiedFrom is not null).Tags["OpenClawMovedFrom"]);
    }

    [Fact]
    public void Without_a_data_volume_output_FinalSnapshot_is_skipped_too()
    {
        Stack.Outputs.Remove("data_volume_id");

        var run = Run("Move", "--availability-zone", "me-central-1b", "--yes", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Skipping FinalSnapshot: stack dev has no data_volume_id output (its instance and data volume are gone)", run.Output);
        Assert.Equal(["CopySnapshot"], Mutations);
    }

    [Fact]
    public void An_interrupted_Move_waits_for_its_copy_instead_of_copying_again()
    {
        Aws.Volumes.Clear();
        var started = FakeSnapshot.OfStack("snap-000000000000000c1", "dev", "me-central-1b", Now.AddMinutes(-3), createdBy: "manual-final", state: "pending");
        started.Tags["OpenClawMovedFrom"] = $"me-central-1a/{Dlm}";
        started.Upcoming.Enqueue(("pending", "80%"));
        started.Upcoming.Enqueue(("completed", "100%"));
        // The copy is the newest snapshot, still pending, but holds its source's data: the source stays the DLM snapshot.
        Aws.Snapshots.Add(started);

        var run = Run("Move", "--availability-zone", "me-central-1b", "--yes", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Copy snap-000000000000000c1 of {Dlm} for me-central-1b was started earlier", run.Output);
        Assert.Empty(Aws.Mutating);
        Assert.Equal(["data_volume_snapshot_id=snap-000000000000000c1", "availability_zone=me-central-1b"], Stack.Writes);
    }

    [Fact]
    public void Refuses_without_a_snapshot()
    {
        Aws.Volumes.Clear();
        Aws.Snapshots.Clear();

        var run = Run("Move", "--availability-zone", "me-central-1b", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev has no snapshot in me-central-1 to move its data from (OpenClawStack=dev, tagged OpenClawAz); nothing was changed.", run.Output);
        Assert.Empty(Aws.Mutating);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void Refuses_while_the_newest_snapshot_is_pending()
    {
        Aws.Volumes.Clear();
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-000000000000000aa", "dev", "me-central-1a", Now.AddMinutes(-10), state: "pending"));

        var run = Run("Move", "--availability-zone", "me-central-1b", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: The newest snapshot of stack dev, snap-000000000000000aa, is still pending (40%", run.Output);
        Assert.Contains("moving from an older one would lose its data. Wait until it is completed (./build.sh Snapshots --stack dev), " +
                        "then run ./build.sh Move --stack dev --availability-zone me-central-1b again.", run.Output);
        Assert.Empty(Aws.Mutating);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void Refuses_an_AZ_that_does_not_offer_the_type()
    {
        Stack.WithConfig("instance_type", "t4g.medium");

        var run = Run("Move", "--availability-zone", "me-central-1c", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: t4g.medium is not offered in me-central-1c; it is in me-central-1a, me-central-1b.", run.Output);
        Assert.Equal(["DescribeInstanceTypeOfferings"], Aws.Actions);
    }

    [Fact]
    public void Refuses_the_same_AZ_before_calling_AWS()
    {
        var run = Run("Move", "--availability-zone", "me-central-1a", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev is already in me-central-1a; Move changed nothing", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void Refuses_without_a_destination_or_with_two()
    {
        Assert.Contains("ERROR: Move needs a destination: --availability-zone <az>, --to best", Run("Move", "--yes").Output);
        Assert.Contains("ERROR: Move takes --availability-zone or --to best, not both.", Run("Move", "--to", "best", "--availability-zone", "me-central-1b", "--yes").Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void Asks_first_and_without_a_terminal_needs_yes()
    {
        var run = Run("Move", "--availability-zone", "me-central-1b");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Move asks before it acts and there is no terminal to ask on: pass --yes.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void To_best_takes_the_cheapest_other_AZ_with_unlikely_placement_scores_last()
    {
        Aws.PlacementScores["me-central-1a"] = 1;
        Aws.PlacementScores["me-central-1b"] = 2; // cheapest, but AWS rates capacity there unlikely
        Aws.PlacementScores["me-central-1c"] = 7;

        var run = Run("Move", "--to", "best", "--yes", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Best AZ for t4g.small in me-central-1: me-central-1c $0.0064/h, score 7 (of me-central-1c $0.0064/h, score 7; me-central-1b $0.0058/h, score 2).", run.Output);
        Assert.Equal("me-central-1c", Stack.Config["availability_zone"]);
        Assert.Equal("me-central-1c", Aws.Snapshots.Single(s => s.CopiedFrom is not null).Tags["OpenClawAz"]);
    }

    [Fact]
    public void The_plan_shows_every_step()
    {
        var run = Run("--plan", "Move");

        Assert.True(run.ExitCode == 0, run.Output);
        var steps = System.Text.RegularExpressions.Regex.Matches(run.Output, @"^\s+\d+\. (\w+)", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["MoveDestination", "FinalSnapshot", "MoveSnapshot", "Move", "SpotPrices", "ConfigureAz", "Deploy"], steps);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void Moves_to_another_region_from_the_DLM_copy_there_into_a_new_stack()
    {
        var frankfurt = Aws.AddRegion("eu-central-1");
        frankfurt.WithInstanceType("t4g.small", 2, 2048, ("eu-central-1a", 0.0071m), ("eu-central-1b", 0.0052m), ("eu-central-1c", 0.0055m));
        frankfurt.PlacementScores["eu-central-1b"] = 9;
        // DLM's cross-region copy: the source snapshot's tags, copied (CopyTags).
        frankfurt.Snapshots.Add(FakeSnapshot.OfStack("snap-0f0e0d0c0b0a09080", "dev", "me-central-1a", Now.AddHours(-4)));
        frankfurt.NewSnapshotStates = [("pending", "30%"), ("completed", "100%")];
        var created = new InMemoryStackState();
        Stack.WithConfig("openclaw_image", "ghcr.io/openclaw/openclaw:2026.11.1").WithConfig("dr_region", "eu-central-1").WithConfig("backup_bucket_name", "my-openclaw-backups");

        var run = Run(b => b.StackStateOf = name => name == "dev-eu-central-1" ? created : throw new InvalidOperationException(name),
            "Move", "--region", "eu-central-1", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        // Nothing is asked of the failed region.
        Assert.All(Aws.Requests.Where(r => r.Service == "ec2"), r => Assert.Equal("eu-central-1", r.Region));
        Assert.Equal(["CopySnapshot"], Mutations);
        var copy = frankfurt.Snapshots.Single(s => s.CopiedFrom is not null);
        Assert.Equal("snap-0f0e0d0c0b0a09080", copy.CopiedFrom);
        Assert.Equal("dev-eu-central-1", copy.Tags["OpenClawStack"]);
        Assert.Equal("eu-central-1b", copy.Tags["OpenClawAz"]);
        Assert.Equal("me-central-1a/snap-0f0e0d0c0b0a09080", copy.Tags["OpenClawMovedFrom"]);
        Assert.DoesNotContain(Aws.Snapshots, s => s.CopiedFrom is not null);
        Assert.Equal(new Dictionary<string, string>
        {
            ["instance_type"] = "t4g.small", ["openclaw_image"] = "ghcr.io/openclaw/openclaw:2026.11.1", ["aws:region"] = "eu-central-1",
            ["availability_zone"] = "eu-central-1b", ["data_volume_snapshot_id"] = copy.Id,
        }, created.Config);
        Assert.Empty(Stack.Writes);
        Assert.Contains("Skipping FinalSnapshot: the move to eu-central-1 restores from the copies DLM made there (dr_region)", run.Output);
        Assert.Matches(@"Deploy\s+Skipped", run.Output);
        Assert.Contains("Next: put the secrets into eu-central-1 with ./build.sh Secrets --stack dev-eu-central-1 --region eu-central-1, " +
                        "then ./build.sh Deploy --stack dev-eu-central-1 --region eu-central-1.", run.Output);
        Assert.Contains("WARNING: Left behind in me-central-1, untouched: stack dev (its instance and spot request, data volume, VPC, DLM policy, KMS key, log groups), " +
                        "its snapshots, its backup bucket with every S3 archive, and its secrets parameter.", run.Output);
    }

    [Fact]
    public void A_region_move_without_copies_there_says_to_set_dr_region()
    {
        Aws.AddRegion("eu-central-1").WithInstanceType("t4g.small", 2, 2048, ("eu-central-1a", 0.0071m));

        var run = Run(b => b.StackStateOf = _ => new InMemoryStackState(), "Move", "--region", "eu-central-1", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev has no snapshot in eu-central-1 to move its data from (OpenClawStack=dev, tagged OpenClawAz); nothing was changed. " +
                        "DLM copies the stack's snapshots to eu-central-1 only while the stack sets dr_region: eu-central-1", run.Output);
        Assert.Empty(Aws.Mutating);
    }
}
