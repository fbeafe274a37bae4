using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>VolumeStatus shows the data volume's attachments; DetachVolume detaches a stale one and waits until it is available.</summary>
public class VolumeTests : AwsTestBed
{
    const string OldInstance = "i-0123456789abcdef0";

    public VolumeTests() => Deployed();

    void AttachedToAnOldInstance()
    {
        var volume = Aws.Volumes.Single();
        volume.Attachments.Clear();
        volume.Attachments.Add(new FakeAttachment(OldInstance, "/dev/sdf", "attached", Now.AddDays(-2)));
        Aws.Instances.Add(new FakeInstance(OldInstance, "terminated"));
    }

    [Fact]
    public void VolumeStatus_shows_each_attachment_and_whether_it_is_stale()
    {
        AttachedToAnOldInstance();

        var run = Run("VolumeStatus");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"Data volume {VolumeId} (8 GiB, me-central-1a): in-use", run.Output);
        Assert.Matches($@"{OldInstance}\s+/dev/sdf\s+attached\s+\S+ \S+\s+terminated\s+yes", run.Output);
        Assert.Contains($"WARNING: {VolumeId} has a stale attachment (not the stack's running instance {InstanceId}); ./build.sh DetachVolume --stack dev detaches it.", run.Output);
        Assert.Empty(Aws.Mutating);
        Assert.Equal(1, Stack.OutputReads); // the spot-request line reuses them: one `pulumi stack output`, not two
    }

    [Fact]
    public void DetachVolume_detaches_a_stale_attachment_and_waits_until_available()
    {
        AttachedToAnOldInstance();

        var run = Run("DetachVolume");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"DetachVolume InstanceId={OldInstance} VolumeId={VolumeId}"], Aws.Mutating.Select(r => r.Text));
        Assert.Equal("available", Aws.Volumes.Single().State);
        Assert.Contains($"{VolumeId} is available; run ./build.sh Deploy --stack dev.", run.Output);
    }

    [Fact]
    public void DetachVolume_leaves_the_stack_s_running_instance_alone()
    {
        var run = Run("DetachVolume");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {VolumeId} is attached only to the stack's running instance {InstanceId}, so nothing is stale; pass --force to detach it anyway (the instance loses /opt/openclaw).", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void DetachVolume_with_force_detaches_from_the_running_instance()
    {
        var run = Run("DetachVolume", "--force");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"DetachVolume InstanceId={InstanceId} VolumeId={VolumeId}"], Aws.Mutating.Select(r => r.Text));
    }

    [Fact]
    public void DetachVolume_on_a_detached_volume_does_nothing()
    {
        Aws.Volumes.Single().Attachments.Clear();

        var run = Run("DetachVolume");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"{VolumeId} is not attached; nothing to detach.", run.Output);
        Assert.Empty(Aws.Mutating);
    }
}
