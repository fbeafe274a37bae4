using Runbook.Tests.Fakes;
using Runbook.Tests.Lifecycle;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>Ctrl+C during a wait ends with one sentence: what is still in progress in AWS and the command that resumes it; running that command resumes.</summary>
public class InterruptionTests : AwsTestBed
{
    public InterruptionTests() => Deployed();

    /// <summary>Runs until AWS saw <paramref name="action"/> (and then two <paramref name="then"/> calls, when given), then presses Ctrl+C.</summary>
    Harness.BuildRun RunAndInterruptAfter(string action, params string[] args) =>
        InterruptAfter(Aws, action, null, token => Run(_ => { }, token, args));

    Harness.BuildRun RunAndInterruptAfter((string Action, string Then) calls, params string[] args) =>
        InterruptAfter(Aws, calls.Action, calls.Then, token => Run(_ => { }, token, args));

    /// <summary>
    /// Runs <paramref name="run"/> until <paramref name="aws"/> saw <paramref name="action"/>, then presses Ctrl+C. With
    /// <paramref name="then"/> it waits for two such calls after it: the first one's answer has then been read (a poll's
    /// progress is known), however slow the machine.
    /// </summary>
    internal static Harness.BuildRun InterruptAfter(FakeAws aws, string action, string? then, Func<CancellationToken, Harness.BuildRun> run)
    {
        using var ctrlC = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!Seen(aws.Actions.ToList())) await Task.Delay(10);
            await Task.Delay(100);
            await ctrlC.CancelAsync();
        });
        var result = run(ctrlC.Token);
        watcher.Wait(TimeSpan.FromSeconds(10));
        return result;

        bool Seen(List<string> actions) =>
            actions.IndexOf(action) is var at and >= 0 && (then is null || actions.Skip(at + 1).Count(a => a == then) >= 2);
    }

    [Fact]
    public void FinalSnapshot_interrupted_names_the_snapshot_and_running_it_again_waits_for_the_same_one()
    {
        Aws.NewSnapshotStates = [.. Enumerable.Repeat(("pending", "40%"), 100_000)];

        var run = RunAndInterruptAfter(("CreateSnapshot", "DescribeSnapshots"), "FinalSnapshot");

        var snapshot = Assert.Single(Aws.Snapshots);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Interrupted: snapshot {snapshot.Id} of {VolumeId} is still in progress in AWS (40%) and nothing was destroyed; " +
                        "./build.sh FinalSnapshot --stack dev resumes waiting for it.", run.Output);
        Assert.DoesNotContain("A task was canceled", run.Output);

        snapshot.Upcoming.Clear();
        snapshot.Upcoming.Enqueue(("pending", "90%"));
        snapshot.Upcoming.Enqueue(("completed", "100%"));
        var again = Run("FinalSnapshot");

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains($"Snapshot {snapshot.Id} of {VolumeId} is already in progress", again.Output);
        Assert.Single(Aws.Snapshots);
        Assert.Equal(1, Aws.Actions.Count(a => a == "CreateSnapshot"));
        Assert.Equal(snapshot.Id, LastBuild!.CompletedFinalSnapshotId);
    }

    [Fact]
    public void A_pending_snapshot_of_another_volume_or_stack_is_not_resumed()
    {
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0000000000000000a", "prod", "me-central-1a", DateTime.UtcNow.AddMinutes(-5), "manual-final", state: "pending"));
        Aws.Snapshots.Add(new FakeSnapshot
        {
            Id = "snap-0000000000000000b", VolumeId = "vol-0aaaaaaaaaaaaaaaa", State = "pending", Progress = "10%",
            Tags = new() { ["OpenClawData"] = "true", ["OpenClawStack"] = "dev", ["OpenClawAz"] = "me-central-1a", ["CreatedBy"] = "manual-final" },
        });

        var run = Run("FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(1, Aws.Actions.Count(a => a == "CreateSnapshot"));
    }

    [Fact]
    public void DetachVolume_interrupted_names_the_volume_and_running_it_again_waits_without_detaching_twice()
    {
        const string oldInstance = "i-0aaaaaaaaaaaaaaa1";
        Aws.Volumes[0].Attachments.Clear();
        Aws.Volumes[0].Attachments.Add(new FakeAttachment(oldInstance, "/dev/sdf", "attached", DateTime.UtcNow.AddDays(-2)));
        Aws.DetachSlowly = true;

        var run = RunAndInterruptAfter("DetachVolume", "DetachVolume");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Interrupted: {VolumeId} is still detaching from {oldInstance} in AWS; ./build.sh DetachVolume --stack dev resumes waiting for it.", run.Output);

        Aws.DetachSlowly = false;
        var again = Run("DetachVolume");

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(1, Aws.Actions.Count(a => a == "DetachVolume"));
        Assert.Contains($"{VolumeId} is available", again.Output);
    }

    [Fact]
    public void Destroy_interrupted_during_its_backup_names_the_run_command_and_resumes_with_Destroy()
    {
        InterruptDuringBackup("nothing was snapshotted nor destroyed; ./build.sh Destroy --stack dev resumes", "Destroy", "--yes");

        Assert.DoesNotContain("CreateSnapshot", Aws.Actions);
    }

    [Fact]
    public void BackupNow_interrupted_names_the_run_command_and_that_running_it_again_joins_the_backup()
    {
        InterruptDuringBackup("./build.sh BackupNow --stack dev joins the backup still running and reports when it ends.", "BackupNow");
    }

    /// <summary>
    /// Ctrl+C while the instance's backup (one Run Command) still runs: exit code 1 and one error naming the command, how to
    /// follow it, and then <paramref name="resume"/>; no stack trace of the cancellation.
    /// </summary>
    void InterruptDuringBackup(string resume, params string[] args)
    {
        Aws.SsmAgents[InstanceId] = "Online";
        Aws.InProgressPolls = int.MaxValue;

        var run = RunAndInterruptAfter(("SendCommand", "GetCommandInvocation"), [.. args, "--wait-timeout", "48h"]);

        var command = Assert.Single(Aws.SentCommands);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Interrupted: Run Command {command.CommandId} (openclaw-runbook BackupNow (stack dev)) is still running on {InstanceId}; " +
                        $"aws ssm get-command-invocation --command-id {command.CommandId} --instance-id {InstanceId} shows how it ends; " + resume, run.Output);
        Assert.DoesNotContain("A task was canceled", run.Output);
    }

    [Fact]
    public void FinalSnapshot_interrupted_under_Destroy_names_Destroy_as_the_command_that_resumes()
    {
        Aws.NewSnapshotStates = [.. Enumerable.Repeat(("pending", "40%"), 100_000)];

        var run = RunAndInterruptAfter(("CreateSnapshot", "DescribeSnapshots"), "Destroy", "--yes", "--wait-timeout", "48h");

        var snapshot = Assert.Single(Aws.Snapshots);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Interrupted: snapshot {snapshot.Id} of {VolumeId} is still in progress in AWS (40%) and nothing was destroyed; " +
                        "./build.sh Destroy --stack dev resumes waiting for it.", run.Output);
        Assert.DoesNotContain("A task was canceled", run.Output);
    }
}

/// <summary>Ctrl+C while a volume-replacing Deploy waits for its snapshot: nothing deployed, Deploy named as what resumes.</summary>
public class DeployInterruptionTests : StackTestBed
{
    public DeployInterruptionTests()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["openclaw:data_volume_snapshot_id"] = "snap-0a1b2c3d4e5f60718" }, outputsScenario: "outputs.json")
            .AnswerWithScenario("preview", "preview-restore.json");
        DeployedInAws();
        Aws.NewSnapshotStates = [.. Enumerable.Repeat(("pending", "40%"), 100_000)];
    }

    [Fact]
    public void A_volume_replacing_Deploy_interrupted_during_its_snapshot_names_it_and_does_not_deploy()
    {
        var run = InterruptionTests.InterruptAfter(Aws, "CreateSnapshot", "DescribeSnapshots",
            token => Pulumi.RunWith(Aws, token, "Deploy", "--skip", "SpotPrices", "ConfigureAz", "--wait-timeout", "48h"));

        var snapshot = Assert.Single(Aws.Snapshots);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Interrupted: snapshot {snapshot.Id} of {VolumeId} is still in progress in AWS (40%) and nothing was deployed; " +
                        "./build.sh Deploy --stack dev resumes waiting for it.", run.Output);
        Assert.DoesNotContain("A task was canceled", run.Output);
        Assert.DoesNotContain(Up, Pulumi.Calls);
    }
}
