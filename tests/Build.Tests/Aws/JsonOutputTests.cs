using System.Text.Json;
using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>--output json: stdout is one JSON document in the shape docs/cli.md describes; logs and tables stay off it.</summary>
public class JsonOutputTests : AwsTestBed
{
    static JsonElement Parse(Harness.BuildRun run)
    {
        Assert.True(run.ExitCode == 0, run.Output);
        return JsonDocument.Parse(run.Result).RootElement;
    }

    [Fact]
    public void Snapshots_as_json()
    {
        Aws.Snapshots.Add(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", new DateTime(2026, 11, 30, 4, 0, 0, DateTimeKind.Utc)));

        var json = Parse(Run("Snapshots", "--output", "json"));

        Assert.Equal("dev", json.GetProperty("stack").GetString());
        Assert.Equal("me-central-1", json.GetProperty("region").GetString());
        var snapshot = Assert.Single(json.GetProperty("snapshots").EnumerateArray());
        Assert.Equal("snap-0a1b2c3d4e5f60718", snapshot.GetProperty("snapshotId").GetString());
        Assert.Equal(new DateTime(2026, 11, 30, 4, 0, 0, DateTimeKind.Utc), snapshot.GetProperty("startTime").GetDateTime().ToUniversalTime());
        Assert.Equal("completed", snapshot.GetProperty("state").GetString());
        Assert.Equal(8, snapshot.GetProperty("sizeGiB").GetInt32());
        Assert.Equal("me-central-1a", snapshot.GetProperty("availabilityZone").GetString());
        Assert.Equal("dlm", snapshot.GetProperty("takenBy").GetString());
    }

    [Fact]
    public void SpotPrices_as_json_cheapest_first()
    {
        var json = Parse(Run("SpotPrices", "--output", "json", "--instance-types", "t4g.small"));

        var prices = json.GetProperty("prices").EnumerateArray().ToList();
        Assert.Equal(["me-central-1b", "me-central-1a", "me-central-1c"], prices.Select(p => p.GetProperty("availabilityZone").GetString()));
        Assert.Equal(0.0058m, prices[0].GetProperty("pricePerHour").GetDecimal());
        Assert.Equal("t4g.small", prices[0].GetProperty("instanceType").GetString());
        Assert.Equal(2, prices[0].GetProperty("vCpus").GetInt32());
        Assert.Equal(JsonValueKind.Null, prices[0].GetProperty("placementScore").ValueKind);
    }

    [Fact]
    public void VolumeStatus_as_json()
    {
        Deployed();

        var json = Parse(Run("VolumeStatus", "--output", "json"));

        Assert.Equal(VolumeId, json.GetProperty("volumeId").GetString());
        Assert.Equal("in-use", json.GetProperty("state").GetString());
        var attachment = Assert.Single(json.GetProperty("attachments").EnumerateArray());
        Assert.Equal(InstanceId, attachment.GetProperty("instanceId").GetString());
        Assert.Equal("running", attachment.GetProperty("instanceState").GetString());
        Assert.False(attachment.GetProperty("stale").GetBoolean());
    }

    [Fact]
    public void Outputs_as_json_through_the_pulumi_cli()
    {
        using var pulumi = new Lifecycle.FakePulumi();
        pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var run = pulumi.Run("Outputs", "--output", "json");

        var json = Parse(run);
        Assert.Equal(["outputs", "stack"], json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("dev", json.GetProperty("stack").GetString());
        var outputs = json.GetProperty("outputs");
        Assert.All(outputs.EnumerateObject(), o => Assert.Equal(JsonValueKind.String, o.Value.ValueKind));
        Assert.Equal(VolumeId, outputs.GetProperty("data_volume_id").GetString());
        Assert.Equal(InstanceId, outputs.GetProperty("instance_id").GetString());
        Assert.Equal("me-central-1", outputs.GetProperty("region").GetString());
        // A non-text output (a list) is its JSON text.
        Assert.Equal(["/openclaw/dev/boot", "/openclaw/dev/openclaw", "/openclaw/dev/backup"],
            JsonSerializer.Deserialize<string[]>(outputs.GetProperty("log_group_names").GetString()!));
        Assert.Contains("Build succeeded", run.Output);
        Assert.DoesNotContain("Build succeeded", run.Result);
    }

    [Fact]
    public void Logs_and_tables_stay_off_stdout()
    {
        var run = Run("Snapshots", "--output", "json");

        Assert.StartsWith("{", run.Result.TrimStart());
        Assert.DoesNotContain("WARNING", run.Result);
        Assert.DoesNotContain("Build succeeded", run.Result);
        Assert.Contains("has no snapshots", run.Output);
    }
}
