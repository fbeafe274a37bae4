using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>A Deploy that creates a blank data volume while the stack has snapshots to restore needs --yes.</summary>
public class BlankVolumeTests : StackTestBed
{
    public BlankVolumeTests() => Pulumi.AnswerWithScenario("preview", "preview-fresh.json");

    void WithSnapshots() => Aws.Snapshots.AddRange(
    [
        FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc)),
        FakeSnapshot.OfStack("snap-0b2c3d4e5f6071829", "dev", "me-central-1a", new DateTime(2026, 11, 27, 4, 0, 0, DateTimeKind.Utc), state: "pending"),
        FakeSnapshot.OfStack("snap-0c3d4e5f607182930", "prod", "me-central-1a", new DateTime(2026, 11, 28, 4, 0, 0, DateTimeKind.Utc)),
    ]);

    [Fact]
    public void Refused_when_the_stack_has_a_completed_snapshot()
    {
        Pulumi.WithStack("dev");
        WithSnapshots();

        var run = Deploy();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Not deploying: stack dev has snapshots (newest snap-0a1b2c3d4e5f60718, 2026-11-20 04:00 UTC), but this Deploy creates a blank data volume; " +
                        "bring the data back with ./build.sh Restore --stack dev --snapshot latest, or pass --yes to start blank.", run.Output);
        Assert.DoesNotContain(Up, Pulumi.Calls);
    }

    [Fact]
    public void Yes_starts_blank_and_says_so()
    {
        Pulumi.WithStack("dev");
        WithSnapshots();

        var run = Deploy("--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("WARNING: Stack dev has snapshots (newest snap-0a1b2c3d4e5f60718", run.Output);
        Assert.Contains(Up, Pulumi.Calls);
    }

    [Fact]
    public void A_stack_without_snapshots_deploys_without_asking()
    {
        Pulumi.WithStack("dev");
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0c3d4e5f607182930", "prod", "me-central-1a", DateTime.UtcNow.AddDays(-1)));

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(Up, Pulumi.Calls);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void A_volume_restored_from_a_snapshot_asks_AWS_nothing()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["openclaw:data_volume_snapshot_id"] = "snap-0a1b2c3d4e5f60718" });
        WithSnapshots();

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(Up, Pulumi.Calls);
        Assert.Empty(Aws.Requests);
    }
}
