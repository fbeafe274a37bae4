using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>Throttling comes in bursts: calls are retried with backoff for more attempts than the SDK's 3, unless AWS_MAX_ATTEMPTS says otherwise.</summary>
public class ThrottlingTests : AwsTestBed
{
    [Fact]
    public void A_burst_longer_than_the_sdk_default_is_ridden_out()
    {
        Aws.Throttle("DescribeSnapshots", times: 5);

        var run = Run("Snapshots");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(6, Aws.Requests.Count(r => r.Action == "DescribeSnapshots"));
    }

    [Fact]
    public void The_signed_dlm_client_rides_out_a_burst_too()
    {
        Deployed();
        Aws.WithDlmPolicy("policy-0fd648fe7510d4ee5", "dev");
        Aws.Throttle("GetLifecyclePolicies", times: 5);

        var run = Run("VerifyDlm");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(6, Aws.Requests.Count(r => r.Action == "GetLifecyclePolicies"));
    }

    [Fact]
    public void AWS_MAX_ATTEMPTS_wins()
    {
        Environment["AWS_MAX_ATTEMPTS"] = "2";
        Aws.Throttle("DescribeSnapshots", times: 5);

        var run = Run("Snapshots");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("RequestLimitExceeded", run.Output);
        Assert.Equal(2, Aws.Requests.Count(r => r.Action == "DescribeSnapshots"));
    }
}
