namespace Runbook.Tests.Fakes;

public sealed record FakeSpotPrice(string InstanceType, string Zone, decimal Price, DateTime Timestamp);

public sealed record FakeInstanceType(string Name, int VCpus, int MemoryMiB);

public sealed record FakeZone(string Name, string Id);

public sealed class FakeSnapshot
{
    public required string Id { get; init; }
    public string VolumeId { get; init; } = "vol-0c2f9a7d1e3b45a68";
    public string State { get; set; } = "completed";
    public string Progress { get; set; } = "100%";
    public string? StateMessage { get; set; }
    public DateTime Started { get; init; } = DateTime.UtcNow.AddHours(-2);
    public int SizeGiB { get; init; } = 8;
    public string Description { get; init; } = "";
    public Dictionary<string, string> Tags { get; init; } = new();

    /// <summary>The source of a CopySnapshot copy.</summary>
    public string? CopiedFrom { get; init; }

    /// <summary>States (state, progress) each later DescribeSnapshots moves it through, one per call.</summary>
    public Queue<(string State, string Progress)> Upcoming { get; init; } = new();

    public static FakeSnapshot OfStack(string id, string stack, string zone, DateTime started, string createdBy = "dlm", string state = "completed") => new()
    {
        Id = id, Started = started, State = state, Progress = state == "completed" ? "100%" : "40%",
        Tags = new() { ["OpenClawData"] = "true", ["OpenClawStack"] = stack, ["OpenClawAz"] = zone, ["CreatedBy"] = createdBy },
    };
}

public sealed record FakeAttachment(string InstanceId, string Device, string State, DateTime AttachTime);

public sealed class FakeVolume
{
    public required string Id { get; init; }
    public string Zone { get; init; } = "me-central-1a";
    public int SizeGiB { get; init; } = 8;
    public string Type { get; init; } = "gp3";
    public int Iops { get; init; } = 3000;
    public int Throughput { get; init; } = 125;
    public bool Encrypted { get; init; } = true;
    public Dictionary<string, string> Tags { get; init; } = new();
    public List<FakeAttachment> Attachments { get; } = [];
    public string State => Attachments.Count == 0 ? "available" : "in-use";
}

/// <summary>An instance; a stopping one (StopInstances) is stopped by the next DescribeInstances.</summary>
public sealed record FakeInstance(string Id, string State, string Type = "t4g.small", string? SpotRequestId = null);

public sealed class FakeSpotRequest
{
    public required string Id { get; init; }
    public required string InstanceId { get; set; }
    public string State { get; set; } = "active";

    /// <summary>The status code (default: fulfilled while active), when it last changed and AWS's message.</summary>
    public string? StatusCode { get; set; }
    public DateTime? StatusTime { get; set; }
    public string? StatusMessage { get; set; }
    public string InstanceType { get; set; } = "t4g.small";
    public string Zone { get; set; } = "me-central-1a";
}

/// <summary>One version of an S3 object; ListObjectsV2 shows only the latest of each key, ListObjectVersions every one.</summary>
public sealed record FakeS3Object(string Bucket, string Key, DateTime LastModified, long Size = 1, bool IsLatest = true);

public sealed record FakeParameter(string Name, string Type = "SecureString", long Version = 1, DateTime? Modified = null, string Value = "",
    string? KeyId = null, string Tier = "Standard");

/// <summary>A command sent with SendCommand: its id, instance, document, the commands parameter, comment and timeout as sent.</summary>
public sealed record FakeSentCommand(string CommandId, string InstanceId, string DocumentName, IReadOnlyList<string> Commands, string Comment, string? ExecutionTimeout)
{
    /// <summary>The commands as the agent runs them: one script, a line each.</summary>
    public string Script => string.Join("\n", Commands);
}

/// <summary>How a sent command ends on the fake instance.</summary>
public sealed record FakeCommandResult(int ExitCode, string Output = "", string Error = "", string? Status = null);

/// <summary>One CloudWatch Logs event of a group.</summary>
public sealed record FakeLogEvent(string Group, string Stream, DateTime Time, string Message)
{
    public string EventId { get; } = Guid.NewGuid().ToString("N");
}
