using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>Doctor: every check on one screen as ok/warn/fail; the exit code is 0 healthy, 1 warnings, 2 failures.</summary>
public class DoctorTests : AwsTestBed
{
    const string Bucket = "openclaw-dev-123456789012-me-central-1";

    void Healthy()
    {
        Deployed();
        Aws.WithDlmPolicy("policy-0fd648fe7510d4ee5", "dev");
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", Now.AddHours(-3)));
        Aws.Objects.Add(new FakeS3Object(Bucket, "dev/.openclaw/state.json", Now.AddMinutes(-50)));
        Aws.Objects.Add(new FakeS3Object(Bucket, "dev/workspace/notes.md", Now.AddMinutes(-7)));
        Aws.Objects.Add(new FakeS3Object(Bucket, "prod/workspace/notes.md", Now));
        Aws.SsmAgents[InstanceId] = "Online";
        Aws.Parameters.Add(new FakeParameter("/openclaw/dev/env", Version: 3, Modified: new DateTime(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc)));
        Aws.Parameters.Add(new FakeParameter("/openclaw/prod/env"));
    }

    [Fact]
    public void A_healthy_stack_is_all_ok()
    {
        Healthy();

        var run = Run("Doctor");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"AWS credentials\s+ok\s+account 123456789012 as arn:aws:iam::123456789012:user/runbook, region me-central-1", run.Output);
        Assert.Matches(@"Stack config\s+ok\s+t4g\.small in me-central-1a", run.Output);
        Assert.Matches($@"Instance\s+ok\s+{InstanceId} running \(t4g\.small\)", run.Output);
        Assert.Matches($@"Data volume\s+ok\s+{VolumeId} attached to {InstanceId} as /dev/sdf", run.Output);
        Assert.Matches(@"Newest snapshot\s+ok\s+snap-0a1b2c3d4e5f60718, 3h old \(schedule: every 1d\)", run.Output);
        Assert.Matches(@"DLM policy\s+ok\s+policy-0fd648fe7510d4ee5 ENABLED", run.Output);
        Assert.Matches($@"S3 backup\s+ok\s+s3://{Bucket}/dev/ last written 7m ago \(every 20m\)", run.Output);
        Assert.Matches(@"Session Manager\s+ok\s+agent 3\.3\.1142\.0 online: connect with the ssm_connect_command output", run.Output);
        Assert.Matches(@"Secrets parameter\s+ok\s+/openclaw/dev/env: SecureString version 3 in KMS key alias/aws/ssm, changed 2026-11-26 09:30 UTC", run.Output);
        Assert.Equal("list-type=2 prefix=dev/", Aws.Requests.Single(r => r.Service == "s3").Text["ListObjectsV2 ".Length..]);
        // The secrets are described, never read.
        Assert.Equal(["DescribeInstanceInformation", "DescribeParameters"], Aws.Requests.Where(r => r.Service == "ssm").Select(r => r.Action).Order());
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void The_exit_code_says_healthy_warnings_or_failures()
    {
        Healthy();
        Assert.Equal(0, Run("Doctor").ExitCode);

        Aws.Instances[0] = new FakeInstance(InstanceId, "stopped");
        var stopped = Run("Doctor");
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("WARNING: Doctor found 1 warning(s): Instance (exit code 1).", stopped.Output);

        Aws.DlmPolicies.Clear();
        Assert.Equal(2, Run("Doctor").ExitCode);
    }

    [Fact]
    public void Doctor_as_json_carries_the_checks_and_the_exit_code()
    {
        Healthy();
        Aws.SsmAgents[InstanceId] = "ConnectionLost";

        var run = Run("Doctor", "--output", "json");

        Assert.Equal(1, run.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(run.Result).RootElement;
        Assert.Equal(1, json.GetProperty("exitCode").GetInt32());
        var agent = json.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Session Manager");
        Assert.Equal("warn", agent.GetProperty("status").GetString());
    }

    [Fact]
    public void A_missing_secrets_parameter_fails_and_says_how_to_create_it()
    {
        Healthy();
        Stack.WithOutput("ssm_env_parameter", "/team/openclaw/env");
        Aws.SsmAgents[InstanceId] = "ConnectionLost";

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"Secrets parameter\s+fail\s+/team/openclaw/env does not exist, so the gateway cannot start: store your dotenv with ./build.sh Secrets --stack dev --env-file .env", run.Output);
        Assert.Matches($@"Session Manager\s+warn\s+{InstanceId} is ConnectionLost with Systems Manager", run.Output);
        Assert.Contains("ERROR: Doctor found 1 failing check(s): Secrets parameter (exit code 2).", run.Output);
    }

    [Fact]
    public void Failing_and_warning_checks_are_shown_and_fail_the_run()
    {
        Healthy();
        Aws.DlmPolicies.Clear();
        Aws.Instances.Clear();
        Aws.Instances.Add(new FakeInstance(InstanceId, "stopped"));
        Aws.Objects.Clear();

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"DLM policy\s+fail\s+no policy targets OpenClawStack=dev", run.Output);
        Assert.Matches($@"Instance\s+warn\s+{InstanceId} is stopped", run.Output);
        Assert.Matches($@"S3 backup\s+warn\s+nothing under s3://{Bucket}/dev/ yet", run.Output);
        Assert.Matches(@"Data volume\s+ok", run.Output);
        Assert.Contains("ERROR: Doctor found 1 failing check(s): DLM policy (exit code 2).", run.Output);
    }

    [Fact]
    public void Without_credentials_it_fails_without_calling_AWS()
    {
        Healthy();
        Environment.Remove("AWS_ACCESS_KEY_ID");

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"AWS credentials\s+fail\s+No AWS credentials found", run.Output);
        Assert.Matches(@"Stack config\s+ok", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void Unreadable_stack_outputs_are_a_failing_check()
    {
        Healthy();
        Stack.OutputsFailure = "pulumi stack output failed for stack 'dev': access denied.";

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"Stack outputs\s+fail\s+pulumi stack output failed for stack 'dev': access denied\.", run.Output);
        Assert.Contains("ERROR: Doctor found 1 failing check(s): Stack outputs (exit code 2).", run.Output);
    }

    [Fact]
    public void Intervals_come_from_the_DLM_policy_and_the_stack_outputs_not_from_defaults()
    {
        Healthy();
        Aws.DlmPolicies.Clear();
        Aws.WithDlmPolicy("policy-0fd648fe7510d4ee5", "dev", intervalHours: 1);
        Stack.WithOutput("backup_interval_minutes", "5");

        var run = Run("Doctor");

        Assert.Matches(@"Newest snapshot\s+warn\s+snap-0a1b2c3d4e5f60718, 3h old \(schedule: every 1h\): overdue", run.Output);
        Assert.Matches($@"S3 backup\s+ok\s+s3://{Bucket}/dev/ last written 7m ago \(every 5m\)", run.Output);
        Assert.Equal(1, run.ExitCode); // warnings only
    }

    [Fact]
    public void A_stack_deployed_before_the_outputs_existed_is_told_to_deploy_again()
    {
        Healthy();
        Stack.Outputs.Remove("ssm_env_parameter");
        Stack.Outputs.Remove("backup_interval_minutes");

        var run = Run("Doctor");

        Assert.Equal(1, run.ExitCode); // warnings only
        Assert.Matches(@"Secrets parameter\s+warn\s+stack dev has no ssm_env_parameter output \(deployed by an older version\): run ./build.sh Deploy --stack dev to export it", run.Output);
        Assert.Matches(@"S3 backup\s+warn\s+stack dev has no backup_interval_minutes output", run.Output);
        Assert.DoesNotContain(Aws.Requests, r => r.Service == "ssm" && r.Action == "DescribeParameters");
    }
}
