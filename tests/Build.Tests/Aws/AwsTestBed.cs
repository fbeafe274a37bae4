using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;

namespace Runbook.Tests.Aws;

/// <summary>A build root, a fake AWS endpoint and an in-memory stack; runs the runbook against them in-process.</summary>
public abstract class AwsTestBed : IDisposable
{
    protected readonly FakeAws Aws = new();
    protected readonly InMemoryStackState Stack = new();

    /// <summary>The run's clock: waits jump it ahead (a poll every 5 s of it) instead of taking real time.</summary>
    protected JumpingTime Time { get; set; } = new();

    /// <summary>Now on the run's clock, for ages in the fake's data.</summary>
    protected DateTime Now => Time.GetUtcNow().UtcDateTime;
    readonly TempDirectory _root = new();

    /// <summary>The stack "dev" as deployed: config, outputs, its volume attached to its running instance.</summary>
    protected const string VolumeId = "vol-0c2f9a7d1e3b45a68";
    protected const string InstanceId = "i-0e5c06a420bec257c";

    protected Dictionary<string, string> Environment { get; }

    protected AwsTestBed()
    {
        Environment = Aws.Environment;
        Aws.WithInstanceType("t4g.small", 2, 2048, ("me-central-1a", 0.0061m), ("me-central-1b", 0.0058m), ("me-central-1c", 0.0064m))
            .WithInstanceType("t4g.medium", 2, 4096, ("me-central-1a", 0.0122m), ("me-central-1b", 0.0131m));
    }

    protected void Deployed()
    {
        Stack.WithConfig("availability_zone", "me-central-1a").WithConfig("instance_type", "t4g.small").WithConfig("aws:region", FakeAws.Region)
            .WithOutput("data_volume_id", VolumeId).WithOutput("instance_id", InstanceId).WithOutput("availability_zone", "me-central-1a")
            .WithOutput("backup_bucket", "openclaw-dev-123456789012-me-central-1").WithOutput("backup_interval_minutes", "20")
            .WithOutput("ssm_env_parameter", "/openclaw/dev/env");
        var volume = new FakeVolume { Id = VolumeId };
        volume.Attachments.Add(new FakeAttachment(InstanceId, "/dev/sdf", "attached", Now.AddDays(-1)));
        Aws.Volumes.Add(volume);
        Aws.Instances.Add(new FakeInstance(InstanceId, "running"));
    }

    /// <summary>Credentials from the named profile "ops" of a shared credentials file holding <paramref name="profile"/>, instead of keys in env.</summary>
    protected void UseProfileOps(string profile)
    {
        var file = _root.Combine("aws-credentials");
        File.WriteAllText(file, "[ops]\n" + profile);
        Environment.Remove("AWS_ACCESS_KEY_ID");
        Environment.Remove("AWS_SECRET_ACCESS_KEY");
        Environment["AWS_PROFILE"] = "ops";
        Environment["AWS_SHARED_CREDENTIALS_FILE"] = file;
    }

    protected BuildRun Run(params string[] args) => Run(_ => { }, args);

    internal BuildRun Run(Action<global::Build> configure, params string[] args) => Run(configure, default, args);

    /// <summary>Runs with a cancellation token: cancelling it is Ctrl+C.</summary>
    internal BuildRun Run(Action<global::Build> configure, CancellationToken cancellation, params string[] args)
    {
        var build = new global::Build { StackState = Stack };
        configure(build);
        LastBuild = build;
        return BuildRun.Of(build, _root.Path, Environment, Time, cancellation, args);
    }

    internal global::Build? LastBuild { get; private set; }

    public void Dispose()
    {
        Aws.Dispose();
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}
