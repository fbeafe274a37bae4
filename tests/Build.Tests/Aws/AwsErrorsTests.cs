using System.Net;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>What AWS answers with an error becomes one sentence naming the call; nothing mutating follows a failed check.</summary>
public class AwsErrorsTests : AwsTestBed
{
    public AwsErrorsTests() => Deployed();

    [Fact]
    public void Rejected_credentials_are_one_sentence()
    {
        Aws.Fail("DescribeSnapshots", "AuthFailure", "AWS was not able to validate the provided access credentials", HttpStatusCode.Unauthorized);

        var run = Run("Snapshots");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: AWS rejected the credentials on ec2:DescribeSnapshots (AuthFailure: AWS was not able to validate the provided access credentials); refresh them (e.g. `aws sso login`) or check AWS_PROFILE.", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public void A_region_not_enabled_for_the_account_is_one_sentence()
    {
        Aws.Fail("DescribeVolumes", "OptInRequired", "You are not subscribed to this service.", HttpStatusCode.Unauthorized);

        var run = Run("FinalSnapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: The region is not enabled for this AWS account (ec2:DescribeVolumes answered OptInRequired); enable it in the account settings or pass another --region.", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void A_denied_call_names_the_permission()
    {
        Aws.Fail("CreateSnapshot", "UnauthorizedOperation", "You are not authorized to perform this operation.", HttpStatusCode.Forbidden);

        var run = Run("FinalSnapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: These credentials may not call ec2:CreateSnapshot (UnauthorizedOperation); grant it to the role or use another AWS_PROFILE.", run.Output);
        Assert.Null(LastBuild!.CompletedFinalSnapshotId);
    }

    [Theory]
    [InlineData("FinalSnapshot")]
    [InlineData("DetachVolume")]
    [InlineData("CleanupSnapshots")]
    public void Mutating_targets_without_credentials_send_nothing(string target)
    {
        Environment.Remove("AWS_SECRET_ACCESS_KEY");

        var run = Run(target, "--older-than", "1d", "--yes", "--force");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: No AWS credentials found", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Theory]
    [InlineData("FinalSnapshot")]
    [InlineData("DetachVolume")]
    [InlineData("CleanupSnapshots")]
    public void Mutating_targets_in_a_region_that_does_not_exist_send_nothing(string target)
    {
        var run = Run(target, "--region", "eu-moon-1", "--older-than", "1d", "--yes", "--force");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: 'eu-moon-1' is not an AWS region", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void An_unreachable_endpoint_is_one_sentence()
    {
        Environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";
        Environment["AWS_MAX_ATTEMPTS"] = "1";

        var run = Run("Snapshots");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"ERROR: AWS ec2:DescribeSnapshots failed before AWS answered: Connection refused[^\n]*\.\n", run.Output);
    }
}
