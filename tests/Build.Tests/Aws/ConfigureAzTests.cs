using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>ConfigureAz: pins instance_type and availability_zone (and aws:region), only when needed, never stranding the data volume.</summary>
public class ConfigureAzTests : AwsTestBed
{
    [Fact]
    public void A_new_stack_gets_the_cheapest_row_and_the_region()
    {
        var run = Run("ConfigureAz");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["instance_type=t4g.small", "availability_zone=me-central-1b", "aws:region=me-central-1"], Stack.Writes);
        Assert.Contains("Stack dev now runs t4g.small in me-central-1b (me-central-1).", run.Output);
    }

    [Fact]
    public void Pick_cheapest_among_the_given_type()
    {
        var run = Run("ConfigureAz", "--instance-type", "t4g.medium", "--pick", "cheapest");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["instance_type=t4g.medium", "availability_zone=me-central-1a", "aws:region=me-central-1"], Stack.Writes);
    }

    [Fact]
    public void Explicit_type_and_zone_are_checked_against_the_offerings_only()
    {
        Stack.WithConfig("aws:region", "me-central-1");

        var run = Run("ConfigureAz", "--instance-type", "t4g.medium", "--availability-zone", "me-central-1b");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["DescribeInstanceTypeOfferings"], Aws.Actions);
        Assert.Equal(["instance_type=t4g.medium", "availability_zone=me-central-1b"], Stack.Writes);
        Assert.Matches(@"SpotPrices\s+Skipped", run.Output);
    }

    [Fact]
    public void A_zone_outside_the_region_is_refused_before_any_call()
    {
        var run = Run("ConfigureAz", "--instance-type", "t4g.small", "--availability-zone", "eu-central-1a");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: eu-central-1a is not an availability zone of me-central-1 (they look like me-central-1a); pass one of me-central-1's zones or another --region.", run.Output);
        Assert.Empty(Aws.Requests);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void A_type_not_offered_in_the_zone_is_refused()
    {
        var run = Run("ConfigureAz", "--instance-type", "t4g.medium", "--availability-zone", "me-central-1c");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: t4g.medium is not offered in me-central-1c; it is in me-central-1a, me-central-1b.", run.Output);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void A_configured_stack_pulled_in_by_Deploy_skips_both_targets_without_calling_AWS()
    {
        Deployed();

        var run = Run("Deploy", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Stack dev already pins availability_zone me-central-1a; ConfigureAz leaves it", run.Output);
        Assert.Matches(@"SpotPrices\s+Skipped \(condition false: \(\) => SpotPricesNeeded\)", run.Output);
        Assert.Matches(@"ConfigureAz\s+Skipped \(condition false: \(\) => AzNeedsConfiguring\)", run.Output);
        Assert.Empty(Aws.Requests);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void A_new_stack_pulled_in_by_Deploy_is_configured()
    {
        var run = Run("Deploy", "--skip", "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("availability_zone=me-central-1b", Stack.Writes);
    }

    [Fact]
    public void Moving_a_stack_with_a_data_volume_to_another_zone_is_refused()
    {
        Deployed();

        var run = Run("ConfigureAz", "--instance-type", "t4g.small", "--availability-zone", "me-central-1b");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack dev has data volume vol-0c2f9a7d1e3b45a68 in me-central-1a; moving to me-central-1b would leave its data behind: " +
                        "restore from a snapshot tagged OpenClawAz=me-central-1b (./build.sh Restore --snapshot <id>) or keep me-central-1a.", run.Output);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void Moving_is_allowed_when_restoring_from_a_snapshot_of_the_new_zone()
    {
        Deployed();
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1b", Now.AddDays(-1)));
        Stack.WithConfig("data_volume_snapshot_id", "snap-0a1b2c3d4e5f60718");

        var run = Run("ConfigureAz", "--instance-type", "t4g.small", "--availability-zone", "me-central-1b");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["instance_type=t4g.small", "availability_zone=me-central-1b"], Stack.Writes);
    }

    [Fact]
    public void Explicit_type_and_zone_are_checked_even_after_SpotPrices_ran()
    {
        var run = Run("SpotPrices", "ConfigureAz", "--instance-type", "t4g.medium", "--availability-zone", "me-central-1c");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: t4g.medium is not offered in me-central-1c; it is in me-central-1a, me-central-1b.", run.Output);
        Assert.Empty(Stack.Writes);
    }
}
