using System.Text.Json;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Aws;

/// <summary>
/// Doctor and VolumeStatus read the stack's spot request (DescribeSpotInstanceRequests) and say its status in plain words,
/// since when, and for capacity or price trouble the best other AZs (price, placement score) and the Move command.
/// </summary>
public class SpotCapacityTests : AwsTestBed
{
    const string RequestId = "sir-0a1b2c3d4e5f60718";

    void Stuck(string code, string state = "open")
    {
        Deployed();
        Aws.Instances[0] = new FakeInstance(InstanceId, "stopped", SpotRequestId: RequestId);
        Aws.SpotRequests.Add(new FakeSpotRequest { Id = RequestId, InstanceId = InstanceId, State = state, StatusCode = code, StatusTime = Now.AddHours(-2).AddMinutes(-20) });
        Aws.PlacementScores["me-central-1a"] = 2;
        Aws.PlacementScores["me-central-1b"] = 8;
        Aws.PlacementScores["me-central-1c"] = 6;
    }

    JsonElement SpotCheck(BuildRun run) =>
        JsonDocument.Parse(run.Result).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Spot capacity");

    [Fact]
    public void No_capacity_fails_with_since_when_the_best_other_AZs_and_the_Move_command()
    {
        Stuck("capacity-not-available");

        var run = Run("Doctor", "--output", "json");

        Assert.Equal(2, run.ExitCode);
        var check = SpotCheck(run);
        Assert.Equal("fail", check.GetProperty("status").GetString());
        var since = Now.AddHours(-2).AddMinutes(-20).ToString("yyyy-MM-dd HH:mm");
        Assert.Equal($"{RequestId} (open) is capacity-not-available since {since} UTC (2h 20m ago): AWS has no spare spot capacity for t4g.small in me-central-1a, " +
                     "so it cannot start the instance; the gateway is down until that changes. Best other AZs for t4g.small: me-central-1b $0.0058/h, score 8; " +
                     "me-central-1c $0.0064/h, score 6. Move there: ./build.sh Move --stack dev --availability-zone me-central-1b",
            check.GetProperty("detail").GetString());
        Assert.Contains(Aws.Requests, r => r.Action == "DescribeSpotInstanceRequests" && r.Text.Contains($"Filter.1.Name=instance-id Filter.1.Value.1={InstanceId}"));
        Assert.Contains("GetSpotPlacementScores", Aws.Actions);
        Assert.Empty(Aws.Mutating);
    }

    [Theory]
    [InlineData("capacity-oversubscribed", "fail", "the spot capacity for t4g.small in me-central-1a is all taken, so AWS cannot start the instance; the gateway is down")]
    [InlineData("price-too-low", "fail", "the spot price of t4g.small in me-central-1a is above the request's maximum price, so AWS does not start the instance")]
    [InlineData("instance-stopped-no-capacity", "fail", "AWS stopped the instance because it needed the t4g.small capacity in me-central-1a back, and has none to restart it")]
    [InlineData("instance-stopped-by-user", "warn", "someone stopped the instance; AWS does not restart it until it is started again.")]
    [InlineData("pending-fulfillment", "warn", "AWS is still looking for t4g.small capacity in me-central-1a.")]
    [InlineData("request-canceled-and-instance-running", "warn", "the instance still runs but AWS will not restart it after an interruption.")]
    [InlineData("fulfilled", "ok", "the instance runs on it.")]
    public void Each_status_code_is_said_in_plain_words(string code, string status, string words)
    {
        Stuck(code, state: code == "fulfilled" ? "active" : "open");

        var run = Run("Doctor", "--output", "json");

        var check = SpotCheck(run);
        Assert.Equal(status, check.GetProperty("status").GetString());
        Assert.Contains($"is {code} since ", check.GetProperty("detail").GetString());
        Assert.Contains(words, check.GetProperty("detail").GetString());
        // Only capacity and price trouble look for other AZs.
        Assert.Equal(status == "fail", Aws.Actions.Contains("DescribeSpotPriceHistory"));
    }

    [Fact]
    public void An_instance_without_a_spot_request_is_fine_and_prices_are_not_read()
    {
        Deployed();

        var run = Run("Doctor");

        Assert.Matches(@"Spot capacity\s+ok\s+i-0e5c06a420bec257c has no spot request", run.Output);
        Assert.DoesNotContain("DescribeSpotPriceHistory", Aws.Actions);
    }

    [Fact]
    public void When_no_other_AZ_offers_the_type_it_points_at_a_region_move()
    {
        Stuck("capacity-not-available");
        Aws.SpotPrices.RemoveAll(p => p.InstanceType == "t4g.small" && p.Zone != "me-central-1a");

        var run = Run("Doctor", "--output", "json");

        Assert.EndsWith("no other AZ of me-central-1 offers t4g.small: wait, or move the stack to another region (./build.sh Move --stack dev --region <region>, docs/operate.md).",
            SpotCheck(run).GetProperty("detail").GetString());
    }

    [Fact]
    public void VolumeStatus_says_it_too()
    {
        Stuck("capacity-not-available");

        var run = Run("VolumeStatus");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"WARNING: Spot request: {RequestId} (open) is capacity-not-available since ", run.Output);
        Assert.Contains("Move there: ./build.sh Move --stack dev --availability-zone me-central-1b", run.Output);
    }
}
