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
        Aws.Alarms.Add(new FakeAlarm("openclaw-dev-backup-age", "OK", "Threshold Crossed: 1 datapoint [1260.0 (02/12/26 18:55:00)] was not greater than the threshold (3600.0).", Now.AddHours(-5)));
        Aws.Alarms.Add(new FakeAlarm("openclaw-dev-gateway-unhealthy", "OK", "Threshold Crossed: 2 datapoints were not less than the threshold (1.0).", Now.AddHours(-5), "GatewayHealthy"));
        Aws.Alarms.Add(new FakeAlarm("openclaw-prod-backup-age", "ALARM", "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].", Now.AddHours(-1)));
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
    public void An_ephemeral_stack_says_its_mode_instead_of_checking_volume_snapshots_DLM_and_backups()
    {
        Stack.WithConfig("availability_zone", "me-central-1a").WithConfig("instance_type", "t4g.small").WithConfig("aws:region", FakeAws.Region)
            .WithConfig("persistence", "ephemeral")
            .WithOutput("instance_id", InstanceId).WithOutput("availability_zone", "me-central-1a").WithOutput("ssm_env_parameter", "/openclaw/dev/env")
            .WithOutput("persistence", "ephemeral");
        Aws.Instances.Add(new FakeInstance(InstanceId, "running"));
        Aws.Alarms.Add(new FakeAlarm("openclaw-dev-gateway-unhealthy", "OK", "Threshold Crossed: 2 datapoints were not less than the threshold (1.0).", Now.AddHours(-5), "GatewayHealthy"));
        Aws.SsmAgents[InstanceId] = "Online";
        Aws.Parameters.Add(new FakeParameter("/openclaw/dev/env"));

        var run = Run("Doctor");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"Persistence\s+ok\s+ephemeral: the state is on the instance's root volume; no data volume, snapshots, DLM policy or S3 backup", run.Output);
        foreach (var check in new[] { "Data volume", "Newest snapshot", "DLM policy", "S3 backup" }) Assert.DoesNotMatch($@"(?m)^\s*{check}\s+(ok|warn|fail)", run.Output);
        Assert.DoesNotContain(Aws.Requests, r => r.Service is "dlm" or "s3" || r.Action is "DescribeSnapshots" or "DescribeVolumes");
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

    [Theory]
    [InlineData("alias/aws/ssm", "warn")]
    [InlineData("alias/openclaw-dev", "ok")]
    public void A_secrets_parameter_under_another_key_than_the_stack_s_is_a_warning_naming_both(string keyId, string status)
    {
        Healthy();
        Stack.WithOutput("kms_key_alias", "alias/openclaw-dev");
        Aws.Parameters[0] = Aws.Parameters[0] with { KeyId = keyId };

        var run = Run("Doctor");

        Assert.Equal(status == "ok" ? 0 : 1, run.ExitCode);
        if (status == "warn")
            Assert.Matches(@"Secrets parameter\s+warn\s+/openclaw/dev/env is encrypted with alias/aws/ssm, not the stack's key alias/openclaw-dev: store it again with ./build.sh Secrets --stack dev --env-file .env", run.Output);
        else
            Assert.Matches(@"Secrets parameter\s+ok\s+/openclaw/dev/env: SecureString version 3 in KMS key alias/openclaw-dev", run.Output);
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

    [Fact]
    public void Each_alarm_of_the_stack_is_a_line_with_its_state()
    {
        Healthy();

        var run = Run("Doctor");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches($@"Alarm openclaw-dev-backup-age\s+ok\s+OK since {Now.AddHours(-5):yyyy-MM-dd HH:mm} UTC", run.Output);
        Assert.Matches(@"Alarm openclaw-dev-gateway-unhealthy\s+ok\s+OK since", run.Output);
        Assert.DoesNotContain("openclaw-prod-backup-age", run.Output);
        // CloudWatch's JSON 1.0 protocol, one call with the stack's prefix, metric and composite alarms.
        var request = Assert.Single(Aws.Requests, r => r.Service == "cloudwatch");
        Assert.Equal("DescribeAlarms", request.Action);
        var body = System.Text.Json.Nodes.JsonNode.Parse(request.Body)!;
        Assert.Equal("openclaw-dev-", (string?)body["AlarmNamePrefix"]);
        Assert.Equal(["MetricAlarm", "CompositeAlarm"], body["AlarmTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(FakeAws.Region, FakeAws.SigningRegion(request.Authorization));
        Assert.Contains("/monitoring/aws4_request", request.Authorization);
    }

    [Fact]
    public void An_alarm_in_ALARM_fails_Doctor_naming_the_alarm_and_its_reason()
    {
        Healthy();
        Aws.Alarms[0] = new FakeAlarm("openclaw-dev-backup-age", "ALARM",
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].", Now.AddMinutes(-40));

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches($@"Alarm openclaw-dev-backup-age\s+fail\s+ALARM since {Now.AddMinutes(-40):yyyy-MM-dd HH:mm} UTC: Threshold Crossed: no datapoints were received for 1 period", run.Output);
        Assert.Matches(@"Alarm openclaw-dev-gateway-unhealthy\s+ok", run.Output);
        Assert.Contains("ERROR: Doctor found 1 failing check(s): Alarm openclaw-dev-backup-age (exit code 2).", run.Output);
    }

    [Fact]
    public void An_alarm_without_data_is_a_warning()
    {
        Healthy();
        Aws.Alarms[1] = new FakeAlarm("openclaw-dev-gateway-unhealthy", "INSUFFICIENT_DATA", "Insufficient Data: 1 datapoint was unknown.", Now.AddMinutes(-15), "GatewayHealthy");

        var run = Run("Doctor", "--output", "json");

        Assert.Equal(1, run.ExitCode);
        var check = System.Text.Json.JsonDocument.Parse(run.Result).RootElement.GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "Alarm openclaw-dev-gateway-unhealthy");
        Assert.Equal("warn", check.GetProperty("status").GetString());
        Assert.StartsWith("INSUFFICIENT_DATA since", check.GetProperty("detail").GetString());
        Assert.EndsWith("Insufficient Data: 1 datapoint was unknown.", check.GetProperty("detail").GetString());
    }

    [Fact]
    public void A_stack_without_alarms_predates_them_and_is_told_to_deploy()
    {
        Healthy();
        Aws.Alarms.RemoveAll(a => a.Name.StartsWith("openclaw-dev-", StringComparison.Ordinal));

        var run = Run("Doctor");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"Alarms\s+warn\s+no CloudWatch alarm named openclaw-dev-\*: stack dev predates alarms; run ./build.sh Deploy --stack dev to create them", run.Output);
        Assert.Contains("WARNING: Doctor found 1 warning(s): Alarms (exit code 1).", run.Output);
    }

    [Fact]
    public void Every_page_of_alarms_is_read()
    {
        Healthy();
        Aws.PageSize = 1;
        Aws.Alarms.Add(new FakeAlarm("openclaw-dev-data-volume-usage", "ALARM", "Threshold Crossed: 1 datapoint [91.2 (02/12/26 18:50:00)] was greater than or equal to the threshold (85.0).", Now.AddMinutes(-10), "disk_used_percent"));

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(3, Aws.Requests.Count(r => r.Action == "DescribeAlarms"));
        Assert.Matches(@"Alarm openclaw-dev-data-volume-usage\s+fail\s+ALARM since .* UTC: Threshold Crossed: 1 datapoint \[91\.2", run.Output);
        Assert.Matches(@"Alarm openclaw-dev-gateway-unhealthy\s+ok", run.Output);
    }

    [Fact]
    public void Alarms_that_may_not_be_read_are_a_failing_line_not_a_crash()
    {
        Healthy();
        Aws.Fail("DescribeAlarms", "AccessDenied", "User: arn:aws:iam::123456789012:user/runbook is not authorized to perform: cloudwatch:DescribeAlarms", System.Net.HttpStatusCode.Forbidden);

        var run = Run("Doctor");

        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"Alarms\s+fail\s+These credentials may not call cloudwatch:DescribeAlarms \(AccessDenied", run.Output);
        Assert.Matches(@"Instance\s+ok", run.Output);
    }

    [Fact]
    public void Throttled_alarm_reads_are_retried()
    {
        Healthy();
        Aws.Throttle("DescribeAlarms", 2);

        var run = Run("Doctor");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(3, Aws.Requests.Count(r => r.Action == "DescribeAlarms"));
    }
}
