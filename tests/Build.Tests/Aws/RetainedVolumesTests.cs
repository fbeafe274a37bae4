using System.Text.Json;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>RetainedVolumes lists the volumes Destroy kept; DeleteRetainedVolume deletes one only after a completed snapshot of it.</summary>
public class RetainedVolumesTests : AwsTestBed
{
    const string Kept = "vol-0a1b2c3d4e5f60718";

    FakeVolume Retained(string id, string stack, DateTime at, int size = 30, string zone = "me-central-1b")
    {
        var volume = new FakeVolume
        {
            Id = id, Zone = zone, SizeGiB = size,
            Tags = new()
            {
                ["OpenClawData"] = "true", ["OpenClawStack"] = stack, ["OpenClawAz"] = zone,
                ["OpenClawRetainedAt"] = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), ["OpenClawRetainedFrom"] = stack,
            },
        };
        Aws.Volumes.Add(volume);
        return volume;
    }

    /// <summary>Two retained volumes, one back in service (attached, still tagged) and one that was never retained.</summary>
    void Account()
    {
        Retained(Kept, "dev", Now.AddDays(-3).AddHours(-2));
        Retained("vol-0b1b2c3d4e5f60719", "prod", Now.AddDays(-10), size: 100, zone: "me-central-1a");
        Retained("vol-0c1b2c3d4e5f60710", "lab", Now.AddDays(-1)).Attachments.Add(new FakeAttachment("i-0123456789abcdef0", "/dev/sdf", "attached", Now));
        Aws.Volumes.Add(new FakeVolume { Id = "vol-0d1b2c3d4e5f60711" });
    }

    [Fact]
    public void Lists_the_detached_volumes_tagged_retained_oldest_first_with_age_size_and_cost()
    {
        Account();

        var run = Run("RetainedVolumes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal("DescribeVolumes Filter.1.Name=tag-key Filter.1.Value.1=OpenClawRetainedAt Filter.2.Name=status Filter.2.Value.1=available",
            Assert.Single(Aws.Requests).Text);
        var rows = run.Output.Split('\n').Where(l => l.Contains("vol-", StringComparison.Ordinal) && !l.Contains("./build.sh", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"vol-0b1b2c3d4e5f60719\s+prod\s+\S+ \S+\s+10d\s+me-central-1a\s+100 GiB\s+\$8\.00\s+prod", rows[0]);
        Assert.Matches(@$"{Kept}\s+dev\s+\S+ \S+\s+3d 2h\s+me-central-1b\s+30 GiB\s+\$2\.40\s+dev", rows[1]);
        Assert.Contains("2 retained volume(s), 130 GiB: about $10.40 a month (an estimate at the gp3 list price in us-east-1 (https://aws.amazon.com/ebs/pricing/)", run.Output);
    }

    [Fact]
    public void Lists_as_json()
    {
        Account();

        var run = Run("RetainedVolumes", "--output", "json");

        Assert.True(run.ExitCode == 0, run.Output);
        var json = JsonDocument.Parse(run.Result).RootElement;
        Assert.Equal("me-central-1", json.GetProperty("region").GetString());
        Assert.Equal(0.08m, json.GetProperty("pricePerGbMonth").GetDecimal());
        var volumes = json.GetProperty("volumes").EnumerateArray().ToList();
        Assert.Equal(["vol-0b1b2c3d4e5f60719", Kept], volumes.Select(v => v.GetProperty("volumeId").GetString()));
        var kept = volumes[1];
        Assert.Equal("dev", kept.GetProperty("retainedFrom").GetString());
        Assert.Equal(3.1, kept.GetProperty("ageDays").GetDouble());
        Assert.Equal("me-central-1b", kept.GetProperty("availabilityZone").GetString());
        Assert.Equal(30, kept.GetProperty("sizeGiB").GetInt32());
        Assert.Equal("gp3", kept.GetProperty("volumeType").GetString());
        Assert.Equal(2.40m, kept.GetProperty("monthlyCostUsd").GetDecimal());
    }

    [Fact]
    public void Says_so_when_there_is_none()
    {
        var run = Run("RetainedVolumes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("No retained OpenClaw data volumes in me-central-1", run.Output);
    }

    [Fact]
    public void Deletes_only_after_a_completed_snapshot_of_the_volume()
    {
        Retained(Kept, "dev", Now.AddDays(-3));

        var run = Run("DeleteRetainedVolume", "--volume", Kept, "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        var snapshot = Assert.Single(Aws.Snapshots);
        Assert.Equal(Kept, snapshot.VolumeId);
        Assert.Equal("completed", snapshot.State);
        Assert.Equal(new Dictionary<string, string> { ["OpenClawData"] = "true", ["OpenClawStack"] = "dev", ["OpenClawAz"] = "me-central-1b", ["CreatedBy"] = "manual-final" }, snapshot.Tags);
        Assert.Equal(["CreateSnapshot", "DeleteVolume"], Aws.Mutating.Select(r => r.Action));
        // The delete comes after the look that saw the snapshot completed.
        var requests = Aws.Requests.ToList();
        Assert.Equal("DescribeSnapshots", requests[requests.FindIndex(r => r.Action == "DeleteVolume") - 1].Action);
        Assert.Empty(Aws.Volumes);
        Assert.Contains($"Its data is in {snapshot.Id}: ./build.sh Restore --stack dev --snapshot {snapshot.Id} brings it back", run.Output);
        Assert.Contains($"Deleted {Kept} (30 GiB gp3, retained 3d ago from stack dev); it no longer costs about $2.40 a month", run.Output);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("timeout")]
    public void Refuses_to_delete_when_the_snapshot_does_not_complete(string outcome)
    {
        Retained(Kept, "dev", Now.AddDays(-3));
        Aws.NewSnapshotStates = outcome == "error" ? [("pending", "10%"), ("error", "10%")] : [("pending", "5%")];

        var run = Run("DeleteRetainedVolume", "--volume", Kept, "--yes", "--wait-timeout", "1m");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing was deleted — ", run.Output);
        Assert.DoesNotContain("DeleteVolume", Aws.Actions);
        Assert.Single(Aws.Volumes);
    }

    [Fact]
    public void Without_a_terminal_or_yes_it_deletes_nothing_and_snapshots_nothing()
    {
        Retained(Kept, "dev", Now.AddDays(-3));

        var run = Run("DeleteRetainedVolume", "--volume", Kept, "--no-snapshot");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: DeleteRetainedVolume would delete {Kept} (30 GiB gp3, retained 3d ago from stack dev) and there is no terminal to confirm on: pass --yes", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Theory]
    [InlineData("vol-0a1b2c3d4e5f60718", true)]
    [InlineData("yes", false)]
    public void No_snapshot_deletes_only_once_the_volume_id_is_typed(string typed, bool deleted)
    {
        Retained(Kept, "dev", Now.AddDays(-3));
        var console = PlainConsole.Typing(typed);
        using var root = new TempDirectory();

        var exitCode = BuildEngine.BuildRunner.Run(new global::Build { StackState = Stack }, "Help",
            new BuildEngine.BuildContext(["DeleteRetainedVolume", "--volume", Kept, "--no-snapshot"], Environment, console, root.Path, default, Time));

        Assert.Contains($"Type the volume id {Kept} to delete it WITHOUT a snapshot:", console.Output);
        Assert.Equal(deleted ? 0 : 1, exitCode);
        Assert.Equal(deleted ? ["DeleteVolume"] : [], Aws.Mutating.Select(r => r.Action));
        Assert.Empty(Aws.Snapshots);
        if (deleted) Assert.Contains($"--no-snapshot: {Kept} is deleted WITHOUT a snapshot", console.Output);
    }

    [Theory]
    [InlineData("not retained", "is not a retained OpenClaw volume (no OpenClawRetainedAt tag)")]
    [InlineData("attached", "is in-use (attached to i-0123456789abcdef0), not a detached retained volume; nothing was deleted.")]
    public void Refuses_a_volume_Destroy_did_not_keep_or_one_in_use(string @case, string refusal)
    {
        var volume = Retained(Kept, "dev", Now.AddDays(-3));
        if (@case == "not retained") volume.Tags.Remove("OpenClawRetainedAt");
        else volume.Attachments.Add(new FakeAttachment("i-0123456789abcdef0", "/dev/sdf", "attached", Now));

        var run = Run("DeleteRetainedVolume", "--volume", Kept, "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(refusal, run.Output);
        Assert.Empty(Aws.Mutating);
    }
}
