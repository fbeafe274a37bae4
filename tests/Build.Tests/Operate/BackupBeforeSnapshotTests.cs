using Runbook.Tests.Fakes;
using Runbook.Tests.Lifecycle;
using Xunit;

namespace Runbook.Tests.Operate;

/// <summary>Destroy and a volume-replacing Deploy run BackupNow on the running instance before their snapshot.</summary>
public class BackupBeforeSnapshotTests : StackTestBed
{
    public BackupBeforeSnapshotTests()
    {
        DeployedInAws();
        Aws.SsmAgents[InstanceId] = "Online";
        Aws.NewSnapshotStates = [("completed", "100%")];
        Aws.RunCommand = _ => new FakeCommandResult(0, BackupNowTests.Journal);
    }

    [Fact]
    public void Destroy_backs_up_then_snapshots_then_destroys()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["SendCommand", "CreateSnapshot"], Aws.Mutating.Select(r => r.Action).Take(2));
        Assert.Contains("systemctl start --wait openclaw-backup.service", Assert.Single(Aws.SentCommands).Script);
        Assert.Contains("Backup of stack dev finished at", run.Output);
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void A_Deploy_that_replaces_the_volume_backs_up_before_its_snapshot()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["openclaw:data_volume_snapshot_id"] = "snap-0a1b2c3d4e5f60718" }, outputsScenario: "outputs.json")
            .AnswerWithScenario("preview", "preview-restore.json");

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["SendCommand", "CreateSnapshot"], Aws.Mutating.Select(r => r.Action));
        Assert.Contains(Up, Pulumi.Calls);
    }

    [Fact]
    public void An_offline_agent_skips_the_backup_with_the_reason()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");
        Aws.SsmAgents[InstanceId] = "ConnectionLost";

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Skipping BackupNow before the snapshot: the Systems Manager agent on {InstanceId} is ConnectionLost", run.Output);
        Assert.Empty(Aws.SentCommands);
        Assert.Single(Aws.Snapshots);
    }

    [Fact]
    public void A_failed_backup_is_a_warning_and_the_snapshot_still_comes_first()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");
        Aws.RunCommand = _ => new FakeCommandResult(1, "backup.sh: another backup is running\n");

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"WARNING: The backup before the snapshot failed on {InstanceId} (exit code 1); going on: the snapshot holds the whole data volume.", run.Output);
        Assert.Single(Aws.Snapshots);
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void Credentials_that_may_not_send_commands_skip_the_backup_naming_the_permission_and_the_snapshot_follows()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");
        Aws.Fail("SendCommand", "AccessDeniedException",
            $"User: arn:aws:sts::{FakeAws.Account}:assumed-role/openclaw-github-deploy/GitHubActions is not authorized to perform: ssm:SendCommand " +
            $"on resource: arn:aws:ssm:{FakeAws.Region}::document/AWS-RunShellScript because no identity-based policy allows the ssm:SendCommand action");

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("WARNING: Skipping BackupNow before the snapshot: these credentials may not call ssm:SendCommand on stack dev's instance " +
                        "(infra/platform/permissions.yaml's backup-before-snapshot operation grants it; docs/permissions.md); going on: the snapshot holds the whole data volume.", run.Output);
        Assert.Equal(["SendCommand", "CreateSnapshot"], Aws.Mutating.Select(r => r.Action).Take(2));
        Assert.Single(Aws.Snapshots);
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
    }

    [Fact]
    public void FinalSnapshot_alone_takes_no_backup()
    {
        Pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var run = Pulumi.RunWith(Aws, "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(Aws.SentCommands);
    }
}
