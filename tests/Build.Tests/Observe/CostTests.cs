using System.Text.Json;
using System.Text.Json.Nodes;
using Runbook.Tests.Aws;
using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Observe;

/// <summary>Cost: each line's quantity from the stack's resources, its price from the spot price history or the Price List, and where both came from.</summary>
public class CostTests : AwsTestBed
{
    const string Bucket = "openclaw-dev-123456789012-me-central-1";
    const string RootVolumeId = "vol-0a9e8d7c6b5a40312";
    const long MiB = 1024 * 1024;

    void Priced()
    {
        Deployed();
        Aws.Volumes.Clear();
        var data = new FakeVolume { Id = VolumeId, SizeGiB = 20 };
        data.Attachments.Add(new FakeAttachment(InstanceId, "/dev/sdf", "attached", Now.AddDays(-1)));
        var root = new FakeVolume { Id = RootVolumeId, SizeGiB = 8 };
        root.Attachments.Add(new FakeAttachment(InstanceId, "/dev/xvda", "attached", Now.AddDays(-1)));
        Aws.Volumes.AddRange([data, root, new FakeVolume { Id = "vol-0ffffffffffffffff", SizeGiB = 500 }]);
        Aws.Snapshots.Add(Sized(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60718", "dev", "me-central-1a", Now.AddHours(-3)), 20));
        Aws.Snapshots.Add(Sized(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60719", "dev", "me-central-1a", Now.AddDays(-1), "manual-final"), 20));
        Aws.Snapshots.Add(Sized(FakeSnapshot.OfStack("snap-0a1b2c3d4e5f60720", "prod", "me-central-1a", Now.AddDays(-1)), 100));
        Aws.Objects.Add(new FakeS3Object(Bucket, "dev/archives/20261202T180000.000Z-scheduled.tar.gz", Now.AddMinutes(-20), 300 * MiB));
        Aws.Objects.Add(new FakeS3Object(Bucket, "dev/archives/20261202T174000.000Z-scheduled.tar.gz", Now.AddMinutes(-40), 200 * MiB, IsLatest: false));
        Aws.Objects.Add(new FakeS3Object(Bucket, "prod/archives/20261202T180000.000Z-scheduled.tar.gz", Now, 900 * MiB));
        Aws.LogGroupBytes["/openclaw/dev/boot"] = 256 * MiB;
        Aws.LogGroupBytes["/openclaw/dev/openclaw"] = 512 * MiB;
        Aws.LogGroupBytes["/openclaw/dev/backup"] = 256 * MiB;
        Aws.LogGroupBytes["/openclaw/prod/boot"] = 999 * MiB;
        Aws.WithListPrices();
    }

    static FakeSnapshot Sized(FakeSnapshot s, int sizeGiB) => new()
    {
        Id = s.Id, Started = s.Started, State = s.State, Progress = s.Progress, Tags = s.Tags, SizeGiB = sizeGiB,
    };

    [Fact]
    public void Each_line_is_priced_from_live_prices_with_its_source()
    {
        Priced();

        var run = Run("Cost");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"Spot instance\s+730 h\s+\$0\.0061/h\s+\$4\.45\s+EC2 spot price history: t4g\.small in me-central-1a at \d{4}-\d\d-\d\d \d\d:\d\d UTC", run.Output);
        Assert.Matches($@"Data volume\s+20 GiB\s+\$0\.0968/GB-Mo\s+\$1\.94\s+DescribeVolumes {VolumeId} \(gp3\); Price List AmazonEC2 MEC1-EBS:VolumeUsage\.gp3", run.Output);
        Assert.Matches($@"Root volume\s+8 GiB\s+\$0\.0968/GB-Mo\s+\$0\.77\s+DescribeVolumes {RootVolumeId} \(gp3\); Price List AmazonEC2 MEC1-EBS:VolumeUsage\.gp3", run.Output);
        Assert.Matches(@"Public IPv4 address\s+730 h\s+\$0\.0050/h\s+\$3\.65\s+Price List AmazonVPC MEC1-PublicIPv4:InUseAddress", run.Output);
        Assert.Matches(@"Snapshots \(upper bound\)\s+40 GiB\s+\$0\.0605/GB-Mo\s+\$2\.42\s+DescribeSnapshots OpenClawStack=dev \(2 snapshots\); Price List AmazonEC2 MEC1-EBS:SnapshotUsage", run.Output);
        Assert.Matches($@"S3 backups\s+0\.488 GiB\s+\$0\.0250/GB-Mo\s+\$0\.01\s+ListObjectVersions s3://{Bucket}/dev/ \(2 versions, 1 noncurrent\); Price List AmazonS3 MEC1-TimedStorage-ByteHrs", run.Output);
        Assert.Matches(@"CloudWatch Logs storage\s+1 GiB\s+\$0\.0330/GB-Mo\s+\$0\.03\s+DescribeLogGroups /openclaw/dev/\* \(3 groups\); Price List AmazonCloudWatch MEC1-TimedStorage-ByteHrs", run.Output);
        Assert.Matches(@"Total\s+\$13\.28", run.Output);
        Assert.Contains("Snapshots (upper bound): each snapshot counted at its volume's full size; snapshots are incremental, so the charge is lower.", run.Output);
        Assert.Contains("Not counted: data transfer, requests, log ingestion", run.Output);
        Assert.Empty(Aws.Mutating);
    }

    [Fact]
    public void Prices_come_from_the_nearest_Price_List_endpoint_for_the_stack_region()
    {
        Priced();

        Run("Cost");

        // me-central-1 has no Price List endpoint: the nearest one, ap-south-1, serves it, asked for me-central-1's prices.
        var pricing = Aws.Requests.Where(r => r.Service == "pricing").ToList();
        Assert.NotEmpty(pricing);
        Assert.All(pricing, r =>
        {
            Assert.Equal("GetProducts", r.Action);
            Assert.Equal("ap-south-1", FakeAws.SigningRegion(r.Authorization));
            Assert.Contains("/pricing/aws4_request", r.Authorization);
            var filters = JsonNode.Parse(r.Body)!["Filters"]!.AsArray();
            Assert.Contains(filters, f => (string?)f!["Field"] == "regionCode" && (string?)f["Value"] == "me-central-1" && (string?)f["Type"] == "TERM_MATCH");
        });
        // One request per usage type: the data and root volumes share the gp3 price.
        Assert.Equal(5, pricing.Count);
        Assert.Single(Aws.Requests, r => r.Action == "DescribeSpotPriceHistory");
    }

    [Theory]
    [InlineData("me-central-1", "ap-south-1")]
    [InlineData("me-south-1", "ap-south-1")]
    [InlineData("eu-west-3", "eu-central-1")]
    [InlineData("il-central-1", "eu-central-1")]
    [InlineData("af-south-1", "eu-central-1")]
    [InlineData("ap-southeast-2", "ap-south-1")]
    [InlineData("ap-northeast-1", "ap-south-1")]
    [InlineData("us-west-2", "us-east-1")]
    [InlineData("ca-central-1", "us-east-1")]
    [InlineData("sa-east-1", "us-east-1")]
    [InlineData("eu-central-1", "eu-central-1")]
    public void The_Price_List_endpoint_is_one_of_its_three_regions(string region, string endpoint)
    {
        Assert.Equal(endpoint, PriceList.EndpointRegion(region));
        Assert.Contains(endpoint, PriceList.EndpointRegions);
    }

    [Fact]
    public void A_region_outside_the_commercial_partition_is_refused_before_any_call()
    {
        Priced();

        var run = Run("Cost", "--region", "cn-north-1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Cost reads list prices from the AWS Price List API, which serves the commercial partition only; cn-north-1 is in aws-cn, so there is no price to read for it.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void As_json_each_line_has_quantity_price_and_source()
    {
        Priced();

        var run = Run("Cost", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        var json = JsonDocument.Parse(run.Result).RootElement;
        Assert.Equal("dev", json.GetProperty("stack").GetString());
        Assert.Equal("me-central-1", json.GetProperty("region").GetString());
        Assert.Equal("USD", json.GetProperty("currency").GetString());
        Assert.Equal(13.28m, json.GetProperty("totalPerMonth").GetDecimal());
        var lines = json.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["Spot instance", "Data volume", "Root volume", "Public IPv4 address", "Snapshots (upper bound)", "S3 backups", "CloudWatch Logs storage"],
            lines.Select(l => l.GetProperty("item").GetString()));
        var snapshots = lines[4];
        Assert.Equal(40m, snapshots.GetProperty("quantity").GetDecimal());
        Assert.Equal("GiB", snapshots.GetProperty("quantityUnit").GetString());
        Assert.Equal(0.0605m, snapshots.GetProperty("pricePerUnit").GetDecimal());
        Assert.Equal("GB-Mo", snapshots.GetProperty("priceUnit").GetString());
        Assert.Equal(2.42m, snapshots.GetProperty("perMonth").GetDecimal());
        Assert.StartsWith("each snapshot counted at its volume's full size", snapshots.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, snapshots.GetProperty("problem").ValueKind);
        // S3 Standard's first tier, not a cheaper later one.
        Assert.Equal(0.025m, lines[5].GetProperty("pricePerUnit").GetDecimal());
    }

    [Fact]
    public void A_line_without_a_price_is_named_and_fails_the_run_after_the_table()
    {
        Priced();
        Aws.Prices.RemoveAll(p => p.ServiceCode == "AmazonVPC");

        var run = Run("Cost");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"Public IPv4 address\s+unknown\s+The AWS Price List has no on-demand AmazonVPC price for PublicIPv4:InUseAddress per Hrs in me-central-1", run.Output);
        Assert.Matches(@"Total\s+\$9\.63", run.Output);
        Assert.Contains("Cost could not price Public IPv4 address (The AWS Price List has no on-demand AmazonVPC price for PublicIPv4:InUseAddress per Hrs in me-central-1); the total leaves it out.", run.Output);
    }

    [Fact]
    public void Without_credentials_it_stops_in_one_sentence_before_any_call()
    {
        Priced();
        Environment.Remove("AWS_ACCESS_KEY_ID");

        var run = Run("Cost");

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("ERROR:", StringComparison.Ordinal));
        Assert.Contains("No AWS credentials found", error);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void A_throttled_Price_List_is_ridden_out()
    {
        Priced();
        Aws.Throttle("GetProducts", 3);

        var run = Run("Cost");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(5 + 3, Aws.Requests.Count(r => r.Action == "GetProducts"));
        Assert.Matches(@"Total\s+\$13\.28", run.Output);
    }
}
