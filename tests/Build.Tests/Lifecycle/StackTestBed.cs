using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;

namespace Runbook.Tests.Lifecycle;

/// <summary>The fake pulumi CLI and the fake AWS endpoint together, for the lifecycle targets that also call AWS.</summary>
public abstract class StackTestBed : IDisposable
{
    protected const string Up = "up --yes --skip-preview --stack dev --non-interactive";
    protected const string PulumiDestroy = "destroy --yes --stack dev --non-interactive";

    /// <summary>The instance and data volume of the FakePulumi scenario outputs.json.</summary>
    protected const string InstanceId = "i-0e5c06a420bec257c";
    protected const string VolumeId = "vol-0c2f9a7d1e3b45a68";

    protected readonly FakePulumi Pulumi = new();
    protected readonly FakeAws Aws = new();

    /// <summary>outputs.json's data volume attached to its running instance, as AWS holds them.</summary>
    protected void DeployedInAws(string? spotRequestId = null)
    {
        var volume = new FakeVolume { Id = VolumeId };
        volume.Attachments.Add(new FakeAttachment(InstanceId, "/dev/sdf", "attached", DateTime.UtcNow.AddDays(-1)));
        Aws.Volumes.Add(volume);
        Aws.Instances.Add(new FakeInstance(InstanceId, "running", SpotRequestId: spotRequestId));
    }

    protected BuildRun Deploy(params string[] extra) => Pulumi.RunWith(Aws, ["Deploy", "--skip", "SpotPrices", "ConfigureAz", .. extra]);

    public void Dispose()
    {
        Pulumi.Dispose();
        Aws.Dispose();
        GC.SuppressFinalize(this);
    }
}
