using BuildEngine;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>Bad input ends the run with exit 2 and one sentence before the first AWS call, pulumi call or stack write.</summary>
public class InputValidationTests : AwsTestBed
{
    public InputValidationTests() => Deployed();

    public static TheoryData<string, string, string> StackTargetsAndBadNames()
    {
        var data = new TheoryData<string, string, string>();
        var targets = new[] { "Snapshots", "CleanupSnapshots", "FinalSnapshot", "VerifyDlm", "VolumeStatus", "DetachVolume", "Doctor", "SpotPrices", "ConfigureAz", "Deploy", "Destroy", "Outputs", "Dashboard", "Cost" }
            .Select(t => (Target: t, Option: "--stack"))
            .Concat(new[] { "PlatformPlan", "PlatformDeploy", "PlatformOutputs" }.Select(t => (Target: t, Option: "--platform-stack")));
        foreach (var (target, option) in targets)
            foreach (var name in new[] { "", "my stack", "org/dev", new string('a', 101), "dev;rm" })
                data.Add(target, option, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(StackTargetsAndBadNames))]
    public void An_invalid_stack_name_stops_every_stack_target_before_anything_is_called(string target, string option, string stack)
    {
        var run = Run(target, option, stack, "--github-repo", "octo-org/openclaw-runbook", "--yes");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"Parameter {option} got '{stack}'; accepted: a Pulumi stack name: 1 to 100 letters, digits, '-', '_' or '.'", run.Output);
        Assert.Empty(Aws.Requests);
        Assert.Empty(Stack.Writes);
    }

    [Fact]
    public void A_stack_name_of_100_allowed_characters_is_accepted()
    {
        var run = Run("Snapshots", "--stack", "A-b_c." + new string('z', 94));
        Assert.True(run.ExitCode == 0, run.Output);
    }

    [Fact]
    public void The_pulumi_driver_refuses_an_invalid_stack_name_itself()
    {
        var cli = new PulumiCli(Path.GetTempPath(), Environment, null, CancellationToken.None);
        var e = Assert.Throws<BuildException>(() => new PulumiStack(cli, ""));
        Assert.Contains("Stack name '' is not a Pulumi stack name", e.Message);
        Assert.EndsWith("pass a valid --stack.", e.Message);

        var platform = Assert.Throws<BuildException>(() => new PulumiStack(cli, "org/platform", "openclaw-platform", "--platform-stack"));
        Assert.Contains("Stack name 'org/platform' is not a Pulumi stack name", platform.Message);
        Assert.EndsWith("pass a valid --platform-stack.", platform.Message);
    }

    [Theory]
    [InlineData(new[] { "SpotPrices", "--instance-types", "" }, "Parameter --instance-types got ''; accepted: at least one value.")]
    [InlineData(new[] { "SpotPrices", "--instance-types", "t4g.small", "t4g_large" }, "Parameter --instance-types got 't4g_large'; accepted: instance types like t4g.small.")]
    [InlineData(new[] { "ConfigureAz", "--availability-zone", "1a", "--instance-type", "t4g.small" }, "Parameter --availability-zone got '1a'; accepted: an availability zone like eu-central-1a.")]
    [InlineData(new[] { "FinalSnapshot", "--wait-timeout", "0" }, "Parameter --wait-timeout got '0'; accepted: more than zero.")]
    [InlineData(new[] { "DetachVolume", "--wait-timeout", "-5m" }, "Parameter --wait-timeout got '-5m'")]
    [InlineData(new[] { "CleanupSnapshots", "--older-than", "0d", "--yes" }, "Parameter --older-than got '0d'; accepted: more than zero.")]
    [InlineData(new[] { "CleanupSnapshots", "--older-than", "-5d", "--yes" }, "Parameter --older-than got '-5d'")]
    [InlineData(new[] { "CleanupSnapshots", "--snapshot-ids", "", "--yes" }, "Parameter --snapshot-ids got ''; accepted: at least one value.")]
    [InlineData(new[] { "CleanupSnapshots", "--snapshot-ids", "vol-0c2f9a7d1e3b45a68", "--yes" }, "Parameter --snapshot-ids got 'vol-0c2f9a7d1e3b45a68'; accepted: snapshot ids")]
    [InlineData(new[] { "Restore", "--snapshot", "snap-123" }, "Parameter --snapshot got 'snap-123'; accepted: a snapshot id (snap- and 8 or 17 hex digits) or latest.")]
    [InlineData(new[] { "Restore", "--snapshot", "i-0e5c06a420bec257c" }, "Parameter --snapshot got 'i-0e5c06a420bec257c'; accepted: a snapshot id (snap- and 8 or 17 hex digits) or latest.")]
    [InlineData(new[] { "Snapshots", "--region", "" }, "Parameter --region got ''; accepted: an AWS region like eu-central-1.")]
    [InlineData(new[] { "Destroy", "--confirm-stack", "", "--yes" }, "Parameter --confirm-stack got ''")]
    [InlineData(new[] { "Deploy", "--pulumi-backend", " " }, "Parameter --pulumi-backend got ' '; accepted: at least one value.")]
    [InlineData(new[] { "Logs", "--since", "0" }, "Parameter --since got '0'; accepted: more than zero.")]
    [InlineData(new[] { "Logs", "--since", "-1h" }, "Parameter --since got '-1h'")]
    [InlineData(new[] { "Gateway", "--local-port", "0" }, "Parameter --local-port got '0'; accepted: a whole number from 1 to 65535.")]
    [InlineData(new[] { "Gateway", "--local-port", "65536" }, "Parameter --local-port got '65536'; accepted: a whole number from 1 to 65535.")]
    [InlineData(new[] { "ApproveDevices", "--request", "" }, "Parameter --request got ''; accepted: at least one value.")]
    [InlineData(new[] { "Secrets", "--env-file", "" }, "Parameter --env-file got ''; accepted: at least one value.")]
    [InlineData(new[] { "Secrets", "--env-file", ".env", "--kms-key", " " }, "Parameter --kms-key got ' '; accepted: at least one value.")]
    [InlineData(new[] { "PlatformDeploy", "--github-repo", "not a repo" }, "Parameter --github-repo got 'not a repo'; accepted: a GitHub repository as owner/name")]
    [InlineData(new[] { "PlatformDeploy", "--github-repo", "octo-org" }, "Parameter --github-repo got 'octo-org'; accepted: a GitHub repository as owner/name")]
    [InlineData(new[] { "PlatformDeploy", "--github-repo", "octo-org/runbook/extra" }, "Parameter --github-repo got 'octo-org/runbook/extra'")]
    public void A_value_of_the_wrong_shape_stops_the_run_before_any_call(string[] args, string message)
    {
        var run = Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.Empty(Aws.Requests);
        Assert.Empty(Stack.Writes);
    }
}
