using Runbook.Tests.Fakes;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>SpotPrices: the price table, its requests (one per API, concurrent), pagination, retries and bad input.</summary>
public class SpotPricesTests : AwsTestBed
{
    [Fact]
    public void Shows_each_offered_type_and_zone_cheapest_first_with_monthly_price()
    {
        var run = Run("SpotPrices", "--instance-types", "t4g.small", "t4g.medium");

        Assert.True(run.ExitCode == 0, run.Output);
        var rows = run.Output.Split('\n').Where(l => l.Contains("me-central-1") && l.Contains('$') && !l.Contains("cheapest")).Select(l => l.Trim()).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Matches(@"^\*\s+t4g\.small\s+me-central-1b\s+2\s+2 GiB\s+\$0\.0058\s+\$4\.23$", rows[0]);
        Assert.Matches(@"^t4g\.small\s+me-central-1a\s+2\s+2 GiB\s+\$0\.0061\s+\$4\.45$", rows[1]);
        Assert.Matches(@"^t4g\.medium\s+me-central-1b\s+2\s+4 GiB\s+\$0\.0131\s+\$9\.56$", rows[4]);
        Assert.Contains("* cheapest: t4g.small in me-central-1b, $0.0058/hour, $4.23/month (730 h).", run.Output);
    }

    [Fact]
    public void Makes_one_request_per_api_with_all_types_in_it()
    {
        var run = Run("SpotPrices", "--instance-types", "t4g.small", "t4g.medium");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["DescribeInstanceTypeOfferings", "DescribeInstanceTypes", "DescribeSpotPriceHistory"], Aws.Actions.Order());
        var history = Aws.Requests.Single(r => r.Action == "DescribeSpotPriceHistory");
        Assert.Equal(["t4g.small", "t4g.medium"], history.List("InstanceType"));
        Assert.Equal(["Linux/UNIX"], history.List("ProductDescription"));
        Assert.InRange(DateTime.Parse(history["StartTime"]!).ToUniversalTime(), Now.AddMinutes(-1), Now);
        var offerings = Aws.Requests.Single(r => r.Action == "DescribeInstanceTypeOfferings");
        Assert.Equal("availability-zone", offerings["LocationType"]);
        Assert.Equal(["t4g.small", "t4g.medium"], offerings.Filters()["instance-type"]);
        Assert.Equal(["t4g.small", "t4g.medium"], Aws.Requests.Single(r => r.Action == "DescribeInstanceTypes").List("InstanceType"));
    }

    [Fact]
    public void The_calls_run_concurrently()
    {
        Aws.Latency = TimeSpan.FromMilliseconds(300);

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(3, Aws.MaxConcurrentRequests);
        var requests = Aws.Requests;
        Assert.True(requests.Max(r => r.Started) < requests.Min(r => r.Finished), "every call started before the first one finished");
    }

    [Fact]
    public void Uses_the_latest_point_of_each_series_and_only_zones_that_offer_the_type()
    {
        Aws.SpotPrices.Add(new FakeSpotPrice("t4g.small", "me-central-1b", 0.0099m, Now.AddMinutes(-5)));
        Aws.SpotPrices.Add(new FakeSpotPrice("t4g.small", "me-central-1b", 0.0011m, Now.AddDays(-2)));
        Aws.SpotPrices.Add(new FakeSpotPrice("t4g.medium", "me-central-1c", 0.0001m, Now.AddMinutes(-5))); // not offered there

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"t4g\.small\s+me-central-1b\s+2\s+2 GiB\s+\$0\.0099", run.Output);
        Assert.DoesNotMatch(@"t4g\.medium\s+me-central-1c", run.Output);
        Assert.Contains("* cheapest: t4g.small in me-central-1a", run.Output);
    }

    [Fact]
    public void Follows_next_tokens_through_every_page()
    {
        Aws.PageSize = 2;

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        var pages = Aws.Requests.Where(r => r.Action == "DescribeSpotPriceHistory").Select(r => r["NextToken"]).ToList();
        Assert.Equal([null, "2", "4"], pages);
        Assert.Equal([null, "2", "4"], Aws.Requests.Where(r => r.Action == "DescribeInstanceTypeOfferings").Select(r => r["NextToken"]));
        Assert.Equal(5, run.Output.Split('\n').Count(l => l.Contains("GiB") && l.Contains('$')));
    }

    [Fact]
    public void Shows_the_placement_score_per_zone_when_asked()
    {
        Aws.PlacementScores["me-central-1a"] = 9;
        Aws.PlacementScores["me-central-1b"] = 3;

        var run = Run("SpotPrices", "--placement-scores");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"t4g\.small\s+me-central-1b.*\$4\.23\s+3\s*\n", run.Output);
        Assert.Matches(@"t4g\.small\s+me-central-1a.*\$4\.45\s+9\s*\n", run.Output);
        var scores = Aws.Requests.Single(r => r.Action == "GetSpotPlacementScores");
        Assert.Equal(("true", "1", "me-central-1"), (scores["SingleAvailabilityZone"], scores["TargetCapacity"], scores["RegionName.1"]));
    }

    [Fact]
    public void Retries_a_throttled_call()
    {
        Aws.Throttle("DescribeSpotPriceHistory");

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(2, Aws.Requests.Count(r => r.Action == "DescribeSpotPriceHistory"));
        Assert.Contains("* cheapest: t4g.small in me-central-1b", run.Output);
    }

    [Fact]
    public void An_unknown_instance_type_is_one_sentence()
    {
        var run = Run("SpotPrices", "--instance-types", "t4g.small", "t4g.smal");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: AWS knows no such instance type: The following supplied instance types do not exist: [t4g.smal]; see the instance types of me-central-1 in the EC2 console.", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public void A_type_not_offered_in_the_region_is_one_sentence()
    {
        Aws.InstanceTypes.Add(new FakeInstanceType("x8g.large", 2, 16384));

        var run = Run("SpotPrices", "--instance-types", "t4g.small", "x8g.large");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: x8g.large is not offered in any availability zone of me-central-1; pick other --instance-types.", run.Output);
    }

    [Fact]
    public void A_region_that_does_not_exist_fails_before_any_call()
    {
        var run = Run("SpotPrices", "--region", "me-central-9");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: 'me-central-9' is not an AWS region (e.g. me-central-1, eu-central-1); pass --region or set AWS_REGION.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void No_credentials_fail_before_any_call()
    {
        Environment.Remove("AWS_ACCESS_KEY_ID");
        Environment.Remove("AWS_SECRET_ACCESS_KEY");

        var run = Run("SpotPrices");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: No AWS credentials found: set AWS_PROFILE (then `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void Credentials_from_the_named_profile_sign_the_requests()
    {
        UseProfileOps("aws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n");

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(Aws.Requests, r => Assert.Contains("Credential=AKIDPROFILE/", r.Authorization));
    }

    [Fact]
    public void A_service_endpoint_overrides_the_general_one()
    {
        Environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";
        Environment["AWS_ENDPOINT_URL_EC2"] = Aws.Url;

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(3, Aws.Requests.Count);
    }

    [Fact]
    public void The_region_comes_from_the_stack_when_the_environment_has_none()
    {
        Environment.Remove("AWS_REGION");
        Stack.WithConfig("aws:region", "me-central-1");

        var run = Run("SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(Aws.Requests, r => Assert.Contains("/me-central-1/ec2/aws4_request", r.Authorization));
    }

    [Fact]
    public void Without_a_pulumi_cli_the_profiles_region_serves()
    {
        UseProfileOps("aws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\nregion = me-central-1\n");
        Environment.Remove("AWS_REGION");
        Environment["PATH"] = "/nonexistent";

        // The real pulumi driver, with no CLI to find: the stack's aws:region can't be read.
        var run = Run(b => b.StackState = null!, "SpotPrices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Using the AWS profile's region me-central-1: the stack's aws:region could not be read", run.Output);
        Assert.All(Aws.Requests, r => Assert.Contains("/me-central-1/ec2/aws4_request", r.Authorization));
    }

    [Fact]
    public void No_region_anywhere_is_one_sentence()
    {
        Environment.Remove("AWS_REGION");

        var run = Run("SpotPrices");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: No AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile (aws configure set region <region>); or pin aws:region in stack dev.", run.Output);
        Assert.Empty(Aws.Requests);
    }
}
