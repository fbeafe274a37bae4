using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>
/// The retained data volume (issue 15): Destroy of a stack that keeps its volume stops the instance, detaches and tags the
/// volume before pulumi destroy and never deletes it; Reattach pins data_volume_id and the volume's AZ, then deploys.
/// </summary>
public class RetainTests : StackTestBed
{
    const string RetainedVolumeId = "vol-0a1b2c3d4e5f60718";

    /// <summary>outputs.json's stack, deployed, with the given config; its snapshots complete at once.</summary>
    void Deployed(Dictionary<string, string> config)
    {
        Pulumi.WithStack("dev", config, outputsScenario: "outputs.json");
        DeployedInAws();
        Aws.NewSnapshotStates = [("completed", "100%")];
    }

    static Dictionary<string, string> Retaining => new() { ["openclaw:data_volume_retain_on_destroy"] = "true" };

    [Theory]
    [InlineData("data_volume_retain_on_destroy", "openclaw:data_volume_retain_on_destroy", "true")]
    [InlineData("an adopted data_volume_id", "openclaw:data_volume_id", VolumeId)]
    public void Destroy_takes_the_final_snapshot_then_stops_detaches_and_tags_the_volume_and_never_deletes_it(string _, string key, string value)
    {
        Deployed(new() { [key] = value, ["openclaw:data_volume_snapshot_id"] = "snap-0123456789abcdef0" });
        int? pulumiCallsWhenTagged = null;
        Aws.AfterRequest = action => { if (action == "CreateTags") pulumiCallsWhenTagged = Pulumi.Calls.Count; };

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        var finalSnapshot = Assert.Single(Aws.Snapshots).Id;
        Assert.Equal(["CreateSnapshot", "StopInstances", "DetachVolume", "CreateTags"], Aws.Mutating.Select(r => r.Action));
        Assert.Equal($"StopInstances InstanceId.1={InstanceId}", Aws.Mutating.ElementAt(1).Text);
        Assert.Equal($"DetachVolume InstanceId={InstanceId} VolumeId={VolumeId}", Aws.Mutating.ElementAt(2).Text);
        Assert.Matches($@"^CreateTags ResourceId\.1={VolumeId} Tag\.1\.Key=OpenClawRetainedAt Tag\.1\.Value=\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ Tag\.2\.Key=OpenClawRetainedFrom Tag\.2\.Value=dev$",
            Aws.Mutating.ElementAt(3).Text);
        // Stopped and waited for before the detach; detached and waited for before the tags.
        var actions = Aws.Actions.ToList();
        Assert.Contains("DescribeInstances", actions[actions.IndexOf("StopInstances")..actions.IndexOf("DetachVolume")]);
        Assert.Contains("DescribeVolumes", actions[actions.IndexOf("DetachVolume")..actions.IndexOf("CreateTags")]);

        // pulumi destroy ran after the volume was tagged, and the volume is still there, detached.
        Assert.NotNull(pulumiCallsWhenTagged);
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls.Take(pulumiCallsWhenTagged!.Value));
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
        var volume = Assert.Single(Aws.Volumes);
        Assert.Equal("available", volume.State);
        Assert.Equal("dev", volume.Tags["OpenClawRetainedFrom"]);
        Assert.Equal("stopped", Aws.Instances.Single().State);

        // The next Deploy attaches it again; adopting excludes restoring from a snapshot.
        Assert.Equal(VolumeId, Pulumi.Config("dev", "openclaw:data_volume_id"));
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
        Assert.Contains($"its data volume {VolumeId} (8 GiB gp3, retained 0m ago from stack dev, me-central-1a) is KEPT", run.Output);
        Assert.Contains("Keeping it costs about $0.64 a month (8 GiB × $0.08 per GB-month, an estimate at the gp3 list price in us-east-1 (https://aws.amazon.com/ebs/pricing/)", run.Output);
        Assert.Contains($"The final snapshot {finalSnapshot} stays as a fallback", run.Output);
    }

    [Fact]
    public void The_pulumi_calls_of_a_retaining_Destroy()
    {
        Deployed(Retaining);

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        // Config reads and writes and the destroy, in order (stack selects and output reads left out).
        Assert.Equal(
        [
            "config get openclaw:data_volume_retain_on_destroy --stack dev --non-interactive",
            "destroy --yes --stack dev --non-interactive",
            $"config set openclaw:data_volume_id --stack dev --non-interactive --plaintext -- {VolumeId}",
            "config get openclaw:data_volume_snapshot_id --stack dev --non-interactive",
        ], Pulumi.Calls.Where(c => c.StartsWith("config", StringComparison.Ordinal) || c.StartsWith("destroy", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_retaining_Destroy_still_closes_the_spot_request_after_keeping_the_volume()
    {
        Pulumi.WithStack("dev", Retaining, outputsScenario: "outputs.json");
        DeployedInAws(spotRequestId: "sir-7r2k9x4m");
        Aws.SpotRequests.Add(new FakeSpotRequest { Id = "sir-7r2k9x4m", InstanceId = InstanceId });

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["StopInstances", "DetachVolume", "CreateTags", "CancelSpotInstanceRequests"], Aws.Mutating.Select(r => r.Action));
        Assert.Equal("cancelled", Aws.SpotRequests.Single().State);
        Assert.DoesNotContain("DeleteVolume", Aws.Actions);
        Assert.Single(Aws.Volumes);
    }

    [Fact]
    public void Without_retention_Destroy_stops_nothing_and_tags_nothing()
    {
        Deployed([]);

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["CreateSnapshot"], Aws.Mutating.Select(r => r.Action));
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_id"));
    }

    [Fact]
    public void A_retaining_Destroy_with_FinalSnapshot_skipped_still_keeps_the_volume()
    {
        Deployed(Retaining);

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(Aws.Snapshots);
        Assert.Equal(["StopInstances", "DetachVolume", "CreateTags"], Aws.Mutating.Select(r => r.Action));
        Assert.Contains(PulumiDestroy, Pulumi.Calls);
        Assert.Equal(VolumeId, Pulumi.Config("dev", "openclaw:data_volume_id"));
    }

    [Fact]
    public void A_volume_another_running_instance_holds_stops_Destroy_before_pulumi()
    {
        Deployed(Retaining);
        Aws.Volumes.Single().Attachments.Add(new FakeAttachment("i-0fedcba9876543210", "/dev/sdg", "attached", DateTime.UtcNow));
        Aws.Instances.Add(new FakeInstance("i-0fedcba9876543210", "running"));

        var run = Pulumi.RunWith(Aws, "Destroy", "--yes");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {VolumeId} is attached to the running instance i-0fedcba9876543210, which is not stack dev's; nothing was destroyed.", run.Output);
        Assert.DoesNotContain(PulumiDestroy, Pulumi.Calls);
        Assert.Equal(["CreateSnapshot"], Aws.Mutating.Select(r => r.Action));
    }

    /// <summary>A volume a Destroy of stack <paramref name="stack"/> kept: detached, tagged.</summary>
    FakeVolume RetainedVolume(string stack = "dev", string zone = "me-central-1b", bool encrypted = true)
    {
        var volume = new FakeVolume
        {
            Id = RetainedVolumeId, Zone = zone, SizeGiB = 30, Encrypted = encrypted,
            Tags = new()
            {
                ["OpenClawData"] = "true", ["OpenClawStack"] = stack, ["OpenClawAz"] = zone,
                ["OpenClawRetainedAt"] = "2026-11-30T10:00:00Z", ["OpenClawRetainedFrom"] = stack,
            },
        };
        Aws.Volumes.Add(volume);
        return volume;
    }

    [Fact]
    public void Reattach_pins_the_volume_and_its_AZ_then_deploys()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string>
        {
            ["aws:region"] = "me-central-1", ["openclaw:availability_zone"] = "me-central-1a", ["openclaw:data_volume_snapshot_id"] = "snap-0123456789abcdef0",
        }).AnswerWithScenario("preview", "preview-one-update.json");
        RetainedVolume();

        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"Reattach\s+Succeeded", run.Output);
        Assert.Matches(@"Deploy\s+Succeeded", run.Output);
        Assert.Equal(RetainedVolumeId, Pulumi.Config("dev", "openclaw:data_volume_id"));
        Assert.Equal("me-central-1b", Pulumi.Config("dev", "openclaw:availability_zone"));
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
        var calls = Pulumi.Calls.ToList();
        var pinned = calls.IndexOf($"config set openclaw:availability_zone --stack dev --non-interactive --plaintext -- me-central-1b");
        Assert.True(pinned >= 0 && calls.IndexOf($"config set openclaw:data_volume_id --stack dev --non-interactive --plaintext -- {RetainedVolumeId}") < pinned, string.Join("\n", calls));
        Assert.True(calls.IndexOf("preview --json --stack dev --non-interactive") > pinned, string.Join("\n", calls));
        Assert.Contains(Up, calls);
        Assert.True(calls.IndexOf(Up) > pinned);
        Assert.Empty(Aws.Mutating);
        Assert.Contains($"Stack dev attaches {RetainedVolumeId} (30 GiB gp3, retained", run.Output);
    }

    [Fact]
    public void Reattach_refuses_another_stacks_volume_without_adopt_foreign()
    {
        Pulumi.WithStack("dev");
        RetainedVolume(stack: "prod");

        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {RetainedVolumeId} belongs to stack prod, not to dev; pass --adopt-foreign to take it over", run.Output);
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_id"));
        Assert.DoesNotContain(Pulumi.Calls, c => c.StartsWith("preview", StringComparison.Ordinal) || c.StartsWith("up", StringComparison.Ordinal));
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Reattach_with_adopt_foreign_retags_the_volume_to_the_stack_first()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["aws:region"] = "me-central-1" });
        var volume = RetainedVolume(stack: "prod");

        var run = ReattachAdoptingIntoDev(volume);

        Assert.Contains("--adopt-foreign: " + RetainedVolumeId, run.Output);
    }

    /// <summary>Reattach --adopt-foreign into stack dev: one CreateTags makes the volume dev's data volume, then the config names it.</summary>
    BuildRun ReattachAdoptingIntoDev(FakeVolume volume)
    {
        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId, "--adopt-foreign");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal($"CreateTags ResourceId.1={RetainedVolumeId} Tag.1.Key=OpenClawData Tag.1.Value=true Tag.2.Key=OpenClawStack Tag.2.Value=dev Tag.3.Key=OpenClawAz Tag.3.Value=me-central-1b",
            Assert.Single(Aws.Mutating).Text);
        Assert.Equal(("dev", "true"), (volume.Tags["OpenClawStack"], volume.Tags["OpenClawData"]));
        Assert.Equal(RetainedVolumeId, Pulumi.Config("dev", "openclaw:data_volume_id"));
        return run;
    }

    [Fact]
    public void Reattach_refuses_a_volume_of_the_stack_that_is_not_its_data_volume_and_adopt_foreign_marks_it()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["aws:region"] = "me-central-1" });
        var volume = RetainedVolume();
        volume.Tags.Remove("OpenClawData");

        var refused = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"ERROR: {RetainedVolumeId} is tagged OpenClawStack=dev but not OpenClawData=true, so it is not stack dev's data volume", refused.Output);
        Assert.DoesNotContain("belongs to stack", refused.Output);
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_id"));
        Assert.Empty(Aws.Mutating);

        ReattachAdoptingIntoDev(volume);
    }

    [Fact]
    public void Reattach_refuses_a_volume_with_no_stack_tag_even_with_adopt_foreign_and_prints_the_tagging_command()
    {
        Pulumi.WithStack("dev", new Dictionary<string, string> { ["aws:region"] = "me-central-1" });
        RetainedVolume().Tags.Clear();

        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId, "--adopt-foreign");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: {RetainedVolumeId} has no OpenClawStack tag, and the runbook's roles only move volumes between the platform's stacks", run.Output);
        Assert.Contains($"aws ec2 create-tags --resources {RetainedVolumeId} --tags Key=OpenClawStack,Value=dev Key=OpenClawData,Value=true", run.Output);
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_id"));
        Assert.Empty(Aws.Mutating);
    }

    [Theory]
    [InlineData("unencrypted", "is not encrypted")]
    [InlineData("attached", "is attached to i-0fedcba9876543210, not to stack dev's instance; one writer only")]
    [InlineData("live stack", $"Stack dev is deployed with its data volume {VolumeId}; Reattach would detach it.")]
    public void Reattach_refuses_what_the_adopt_guardrail_would(string @case, string refusal)
    {
        Pulumi.WithStack("dev", outputsScenario: @case == "live stack" ? "outputs.json" : null);
        var volume = RetainedVolume(encrypted: @case != "unencrypted");
        if (@case == "attached") volume.Attachments.Add(new FakeAttachment("i-0fedcba9876543210", "/dev/sdf", "attached", DateTime.UtcNow));

        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(refusal, run.Output);
        Assert.Null(Pulumi.Config("dev", "openclaw:data_volume_id"));
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Reattach_of_an_unknown_volume_is_one_sentence()
    {
        Pulumi.WithStack("dev");

        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", RetainedVolumeId);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"ERROR: Volume {RetainedVolumeId} does not exist in me-central-1", run.Output);
    }

    [Fact]
    public void Reattach_needs_a_volume_id()
    {
        var run = Pulumi.RunWith(Aws, "Reattach", "--volume", "snap-0123456789abcdef0");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("vol- and 8 or 17 hex digits", run.Output);
    }
}
