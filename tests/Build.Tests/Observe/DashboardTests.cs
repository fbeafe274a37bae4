using Runbook.Tests.Aws;
using Xunit;

namespace Runbook.Tests.Observe;

/// <summary>Dashboard: the console URL of the stack's CloudWatch dashboard, from its outputs, in its region; no AWS call.</summary>
public class DashboardTests : AwsTestBed
{
    [Theory]
    [InlineData("me-central-1")]
    [InlineData("us-east-1")]
    [InlineData("ap-southeast-2")]
    public void Prints_the_console_url_in_the_region_the_stack_was_deployed_in(string region)
    {
        Stack.WithOutput("dashboard_name", "openclaw-dev").WithOutput("region", region);
        Environment.Remove("AWS_ACCESS_KEY_ID"); // no credentials needed: nothing is asked of AWS

        var run = Run("Dashboard");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards/dashboard/openclaw-dev\n", run.Result);
        Assert.Empty(Aws.Requests);
    }

    [Fact]
    public void Without_a_region_output_the_stack_config_region_serves_and_json_carries_the_url()
    {
        Stack.WithOutput("dashboard_name", "openclaw-prod").WithConfig("aws:region", "eu-west-1");
        Environment.Remove("AWS_REGION");

        var run = Run("Dashboard", "--stack", "prod", "--output", "json");

        Assert.Equal(0, run.ExitCode);
        var json = System.Text.Json.JsonDocument.Parse(run.Result).RootElement;
        Assert.Equal("eu-west-1", json.GetProperty("region").GetString());
        Assert.Equal("openclaw-prod", json.GetProperty("dashboardName").GetString());
        Assert.Equal("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/openclaw-prod", json.GetProperty("url").GetString());
    }

    [Fact]
    public void A_stack_without_the_output_is_told_to_deploy()
    {
        Deployed();

        var run = Run("Dashboard");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Stack dev has no dashboard_name output (not deployed, or deployed before dashboards existed): run ./build.sh Deploy --stack dev.", run.Output);
        Assert.Empty(Aws.Requests);
    }

    [Theory]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    public void Other_partitions_are_refused_in_one_sentence(string region, string partition)
    {
        Stack.WithOutput("dashboard_name", "openclaw-dev").WithOutput("region", region);

        var run = Run("Dashboard");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Dashboard prints console addresses of the commercial AWS partition only; {region} is in {partition}: open CloudWatch > Dashboards > openclaw-dev in that partition's console.", run.Output);
        Assert.DoesNotContain("https://", run.Result);
    }
}
