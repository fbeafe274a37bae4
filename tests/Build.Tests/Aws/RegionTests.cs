using BuildEngine;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>With no region anywhere and no pulumi CLI to read the stack's, the error names every way to set one.</summary>
public class RegionTests : AwsTestBed
{
    /// <summary>A stack whose config cannot be read, as when the pulumi CLI is not installed.</summary>
    sealed class UnreadableStack : IStackState
    {
        static BuildException NoPulumi() => new("The pulumi CLI is not installed (or not on PATH); install it from https://www.pulumi.com/docs/install/.");
        public Task<string?> GetConfigAsync(string key, CancellationToken cancellationToken = default) => throw NoPulumi();
        public Task SetConfigAsync(string key, string value, bool secret = false, CancellationToken cancellationToken = default) => throw NoPulumi();
        public Task RemoveConfigAsync(string key, CancellationToken cancellationToken = default) => throw NoPulumi();
        public Task<IReadOnlyDictionary<string, string>> GetOutputsAsync(CancellationToken cancellationToken = default) => throw NoPulumi();
    }

    [Fact]
    public void No_region_and_no_pulumi_names_the_three_ways_to_set_one()
    {
        Environment.Remove("AWS_REGION");

        var run = Run(b => b.StackState = new UnreadableStack(), "Snapshots");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: No AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile (aws configure set region <region>); " +
                        "the stack's aws:region could not be read (The pulumi CLI is not installed", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void The_profile_region_serves_when_the_stack_cannot_be_read()
    {
        UseProfileOps("aws_access_key_id = AKIDOPS\naws_secret_access_key = ops\nregion = me-central-1\n");
        Environment.Remove("AWS_REGION");

        var run = Run(b => b.StackState = new UnreadableStack(), "Snapshots");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Using the AWS profile's region me-central-1: the stack's aws:region could not be read", run.Output);
    }
}
