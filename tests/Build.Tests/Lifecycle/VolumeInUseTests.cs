using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>Deploy failing with AWS's VolumeInUse (design notes, troubleshooting 7): explained, or recovered once with --auto-recover.</summary>
public class VolumeInUseTests : StackTestBed
{
    const string Refresh = "refresh --yes --stack dev --non-interactive";

    FakePulumi StackWithAChange() => Pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-attachment-replaced.json");

    [Fact]
    public void Deploy_says_what_happened_and_which_targets_fix_it()
    {
        StackWithAChange().AnswerWithScenario("up", "up-volume-in-use.out", exitCode: 255);

        var run = Deploy();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("api error VolumeInUse: vol-0c2f9a7d1e3b45a68 is already attached to an instance", run.Output);
        Assert.Contains("ERROR: Deploy failed with VolumeInUse", run.Output);
        Assert.Contains("./build.sh Redeploy --stack dev", run.Output);
        Assert.Contains("./build.sh DetachVolume --stack dev", run.Output);
        Assert.Single(Pulumi.Calls, Up);
        Assert.DoesNotContain(Refresh, Pulumi.Calls);
    }

    [Fact]
    public void Auto_recover_refreshes_and_runs_up_again()
    {
        StackWithAChange().AnswerWithScenario("up", "up-volume-in-use.out", exitCode: 255, call: 1);

        var run = Deploy("--auto-recover");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Up, Refresh, Up], Pulumi.Calls.SkipWhile(c => c != Up));
        Assert.Contains("--auto-recover: refreshing the stack, then deploying again", run.Output);
    }

    [Fact]
    public void Auto_recover_tries_once_then_points_to_DetachVolume()
    {
        StackWithAChange().AnswerWithScenario("up", "up-volume-in-use.out", exitCode: 255);

        var run = Deploy("--auto-recover");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([Up, Refresh, Up], Pulumi.Calls.SkipWhile(c => c != Up));
        Assert.Contains("ERROR: Deploy still fails with VolumeInUse after a refresh: detach the stale attachment with ./build.sh DetachVolume --stack dev", run.Output);
    }

    [Fact]
    public void Redeploy_that_still_hits_VolumeInUse_points_to_DetachVolume()
    {
        StackWithAChange().AnswerWithScenario("up", "up-volume-in-use.out", exitCode: 255);

        var run = Pulumi.Run("Redeploy", "--auto-recover");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(Pulumi.Calls, Refresh);
        Assert.Single(Pulumi.Calls, Up);
        Assert.Contains("DetachVolume", run.Output);
    }

    [Fact]
    public void Other_up_failures_are_not_retried_and_keep_their_output()
    {
        StackWithAChange().AnswerWithScenario("up", "up-no-capacity.out", exitCode: 255);

        var run = Deploy("--auto-recover");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(Pulumi.Calls, Up);
        Assert.DoesNotContain(Refresh, Pulumi.Calls);
        Assert.Contains("aws:ec2:Instance (openclaw):", run.Output);
        Assert.Contains("ERROR: pulumi up failed with exit code 255: creating EC2 Instance: operation error EC2: RunInstances", run.Output);
        Assert.Contains("InsufficientInstanceCapacity: There is no Spot capacity available that matches your request.", run.Output);
    }
}
