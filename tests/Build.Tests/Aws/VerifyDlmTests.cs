using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>VerifyDlm: the stack's DLM policy (found by its target tags, read over signed REST-JSON) is enabled and on schedule.</summary>
public class VerifyDlmTests : AwsTestBed
{
    const string PolicyId = "policy-0fd648fe7510d4ee5";

    [Fact]
    public void Shows_the_enabled_policy_s_schedule_and_retention_and_the_newest_snapshot_age()
    {
        Aws.WithDlmPolicy(PolicyId, "dev").WithDlmPolicy("policy-0aaaaaaaaaaaaaaaa", "prod");
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", Now.AddHours(-5)));

        var run = Run("VerifyDlm");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches($@"{PolicyId}\s+ENABLED\s+every 24 hours at 03:00 UTC\s+7 days\s+OpenClaw dev data volume snapshots", run.Output);
        Assert.DoesNotContain("policy-0aaaaaaaaaaaaaaaa", run.Output);
        Assert.Contains("Newest snapshot snap-0a1b2c3d4e5f60718 is 5h old; the schedule takes one every 1d: on schedule.", run.Output);
        var dlm = Aws.Requests.Where(r => r.Service == "dlm").OrderBy(r => r.Action).ToList();
        Assert.Equal(["GET /policies/" + PolicyId, "GET /policies?resourceTypes=VOLUME&targetTags=OpenClawStack%3Ddev"], dlm.Select(r => $"{r.Method} {r.PathAndQuery}").Order());
        Assert.All(dlm, r => Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIDFAKE/\d{8}/me-central-1/dlm/aws4_request, SignedHeaders=[^ ]+, Signature=[0-9a-f]{64}$", r.Authorization));
    }

    [Fact]
    public void An_overdue_snapshot_is_a_warning()
    {
        Aws.WithDlmPolicy(PolicyId, "dev", intervalHours: 12);
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", Now.AddDays(-2)));

        var run = Run("VerifyDlm");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("WARNING: Newest snapshot snap-0a1b2c3d4e5f60718 is 2d old, more than the schedule's 12h", run.Output);
    }

    [Fact]
    public void An_ephemeral_stack_has_no_policy_to_verify_and_that_is_no_failure()
    {
        Stack.WithOutput("instance_id", InstanceId).WithOutput("persistence", "ephemeral");

        var run = Run("VerifyDlm");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Stack dev is deployed with persistence: ephemeral: no data volume, so no DLM policy and no snapshots to verify", run.Output);
        Assert.DoesNotContain(Aws.Requests, r => r.Service == "dlm" || r.Action == "DescribeSnapshots");
    }

    [Fact]
    public void No_policy_for_the_stack_fails()
    {
        Aws.WithDlmPolicy("policy-0aaaaaaaaaaaaaaaa", "prod");

        var run = Run("VerifyDlm");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: No DLM policy in me-central-1 targets OpenClawStack=dev, so no scheduled snapshots are taken; Deploy the stack (it creates the policy) or check --region.", run.Output);
    }

    [Fact]
    public void A_disabled_policy_fails()
    {
        Aws.WithDlmPolicy(PolicyId, "dev", state: "DISABLED");

        var run = Run("VerifyDlm");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches($@"{PolicyId}\s+DISABLED", run.Output);
        Assert.Contains($"ERROR: DLM policy {PolicyId} of stack dev is DISABLED, so no snapshots are taken; Deploy the stack again to enable it.", run.Output);
    }

    [Fact]
    public void A_dlm_endpoint_of_its_own_is_used()
    {
        using var dlm = new FakeAws();
        dlm.WithDlmPolicy(PolicyId, "dev");
        Environment["AWS_ENDPOINT_URL_DLM"] = dlm.Url;

        var run = Run("VerifyDlm");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(2, dlm.Requests.Count);
        Assert.DoesNotContain(Aws.Requests, r => r.Service == "dlm");
    }
}
