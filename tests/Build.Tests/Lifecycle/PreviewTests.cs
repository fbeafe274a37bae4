using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>pulumi preview --json into a table of changes; the data volume being replaced or deleted is flagged.</summary>
public class PreviewTests : IDisposable
{
    const string Volume = "urn:pulumi:dev::openclaw::aws:ebs/volume:Volume::openclaw-data";

    readonly FakePulumi _pulumi = new();
    public void Dispose() => _pulumi.Dispose();

    [Fact]
    public void Parses_steps_into_one_change_per_resource()
    {
        var preview = PreviewResult.Parse(File.ReadAllText(FakePulumi.Scenario("preview-restore.json")));

        Assert.Equal(
            [
                ("create", "aws:cloudwatch/logGroup:LogGroup", "openclaw-backup", ""),
                ("update", "aws:ec2/instance:Instance", "openclaw", "tags, tagsAll"),
                ("replace", "aws:ebs/volume:Volume", "openclaw-data", "snapshotId"),
                ("replace", "aws:ec2/volumeAttachment:VolumeAttachment", "openclaw-data", "volumeId"),
                ("delete", "aws:s3/bucketPolicy:BucketPolicy", "openclaw-legacy", ""),
            ],
            preview.Changes.Select(c => (c.Operation, c.Type, c.Name, string.Join(", ", c.Reasons))));
        Assert.Equal([Volume], preview.Changes.Where(c => c.LosesData).Select(c => c.Urn));
        Assert.Equal(21, preview.UnchangedCount);
        Assert.True(preview.HasChanges);
        Assert.Empty(preview.Errors);
    }

    [Fact]
    public void Nothing_but_same_steps_is_no_change()
    {
        var preview = PreviewResult.Parse("""
            {"steps": [{"op": "same", "urn": "urn:pulumi:dev::openclaw::pulumi:pulumi:Stack::openclaw-dev"},
                       {"op": "read", "urn": "urn:pulumi:dev::openclaw::aws:ec2/getAmi:getAmi::al2023"}],
             "changeSummary": {"same": 26}}
            """);

        Assert.False(preview.HasChanges);
        Assert.Empty(preview.Changes);
    }

    [Fact]
    public void Resources_under_a_parent_keep_their_own_type_and_name()
    {
        Assert.Equal(("aws:ebs/volume:Volume", "openclaw-data"),
            PreviewResult.SplitUrn("urn:pulumi:dev::openclaw::openclaw:index:Storage$aws:ebs/volume:Volume::openclaw-data"));
    }

    [Fact]
    public void Error_diagnostics_are_kept_without_colour_markup()
    {
        var preview = PreviewResult.Parse(File.ReadAllText(FakePulumi.Scenario("preview-error.json")));

        Assert.Equal("snapshot snap-0a1b2c3d4e5f60718 is tagged OpenClawAz=me-central-1b but availability_zone is me-central-1a; set availability_zone to me-central-1b or pick another snapshot",
            Assert.Single(preview.Errors));
    }

    [Fact]
    public void Preview_shows_the_table_and_flags_the_replaced_data_volume()
    {
        _pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-restore.json");

        var run = _pulumi.Run("Preview");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Stack dev: 1 to create, 1 to update, 2 to replace, 1 to delete, 21 unchanged.", run.Output);
        Assert.Matches(@"create\s+aws:cloudwatch/logGroup:LogGroup\s+openclaw-backup", run.Output);
        Assert.Matches(@"REPLACE\s+aws:ebs/volume:Volume\s+openclaw-data\s+snapshotId", run.Output);
        Assert.Matches(@"replace\s+aws:ec2/volumeAttachment:VolumeAttachment\s+openclaw-data\s+volumeId", run.Output);
        Assert.Matches(@"delete\s+aws:s3/bucketPolicy:BucketPolicy\s+openclaw-legacy", run.Output);
        Assert.Contains("WARNING: THE DATA VOLUME openclaw-data WOULD BE REPLACED (because of snapshotId): everything on /opt/openclaw", run.Output);
        Assert.DoesNotContain(_pulumi.Calls, call => call.StartsWith("up "));
    }

    [Fact]
    public void Preview_flags_a_deleted_data_volume()
    {
        _pulumi.WithStack("dev").Answer("preview", $$"""{"steps": [{"op": "delete", "urn": "{{Volume}}"}], "changeSummary": {"delete": 1, "same": 25} }""");

        var run = _pulumi.Run("Preview");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("WARNING: THE DATA VOLUME openclaw-data WOULD BE DELETED:", run.Output);
    }

    [Fact]
    public void Replacing_only_the_attachment_is_not_flagged()
    {
        _pulumi.WithStack("dev").Answer("preview", """
            {"steps": [{"op": "replace", "urn": "urn:pulumi:dev::openclaw::aws:ec2/volumeAttachment:VolumeAttachment::openclaw-data", "replaceReasons": ["instanceId"]}],
             "changeSummary": {"replace": 1, "same": 25}}
            """);

        var run = _pulumi.Run("Preview");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"replace\s+aws:ec2/volumeAttachment:VolumeAttachment\s+openclaw-data\s+instanceId", run.Output);
        Assert.DoesNotContain("THE DATA VOLUME", run.Output);
    }

    [Fact]
    public void Preview_errors_fail_the_target_and_stop_Deploy()
    {
        _pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-error.json", exitCode: 255);

        var run = _pulumi.Run("Deploy", "--skip", "SpotPrices", "ConfigureAz");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: pulumi preview of stack dev failed: snapshot snap-0a1b2c3d4e5f60718 is tagged OpenClawAz=me-central-1b but availability_zone is me-central-1a", run.Output);
        Assert.DoesNotContain("<{%", run.Output);
        Assert.DoesNotContain("ERROR: preview failed", run.Output);
        Assert.DoesNotContain(_pulumi.Calls, call => call.StartsWith("up "));
    }

    [Fact]
    public void Preview_without_json_output_reports_the_engine_error()
    {
        _pulumi.WithStack("dev").Answer("preview", "", "error: could not load plugin for aws provider 'default_7_48_0': no resource plugin 'aws-v7.48.0' found\n", exitCode: 255);

        var run = _pulumi.Run("Preview");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: pulumi preview failed with exit code 255: could not load plugin for aws provider", run.Output);
    }
}
