using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

public class ParameterTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    (ParametersBuild Build, BuildRun Run) Show(Dictionary<string, string>? env, params string[] args)
    {
        var build = new ParametersBuild();
        var run = BuildRun.Of(build, x => x.Show, _root.Path, env, ["Show", .. args]);
        return (build, run);
    }

    [Fact]
    public void Defaults_apply_when_nothing_is_given()
    {
        var (build, run) = Show(null);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("t4g.small|1|Vanilla|30.00:00:00|False|dev", build.Seen);
    }

    [Fact]
    public void Command_line_values_are_converted_to_their_types()
    {
        var (build, _) = Show(null, "--instance-types", "t4g.small", "t4g.medium", "--count", "3", "--flavor", "chocolate", "--older-than", "12h", "--force", "--stack", "prod");
        Assert.Equal("t4g.small+t4g.medium|3|Chocolate|12:00:00|True|prod", build.Seen);
    }

    [Fact]
    public void Precedence_is_cli_then_env_then_profile_then_parameters_json_then_default()
    {
        File.WriteAllText(_root.Combine(".nuke", "parameters.json"), """{ "Stack": "from-json", "Count": 2, "Flavor": "Chocolate", "InstanceTypes": ["a", "b"] }""");
        File.WriteAllText(_root.Combine(".nuke", "parameters.ci.json"), """{ "Stack": "from-profile", "Count": 4 }""");
        var env = new Dictionary<string, string> { ["STACK"] = "from-env" };

        Assert.Equal("a+b|2|Chocolate|30.00:00:00|False|from-json", Show(null).Build.Seen);
        Assert.Equal("a+b|4|Chocolate|30.00:00:00|False|from-profile", Show(null, "--profile", "ci").Build.Seen);
        Assert.Equal("a+b|4|Chocolate|30.00:00:00|False|from-env", Show(env, "--profile", "ci").Build.Seen);
        Assert.Equal("a+b|4|Chocolate|30.00:00:00|False|from-cli", Show(env, "--profile", "ci", "--stack", "from-cli").Build.Seen);
    }

    [Theory]
    [InlineData("Stack")]
    [InlineData("STACK")]
    [InlineData("NUKE_STACK")]
    [InlineData("nuke_stack")]
    public void Environment_names_are_matched_exactly_then_loosely(string variable)
    {
        var (build, _) = Show(new Dictionary<string, string> { [variable] = "env-stack" });
        Assert.EndsWith("|env-stack", build.Seen);
    }

    [Fact]
    public void Empty_environment_values_count_as_unset()
    {
        File.WriteAllText(_root.Combine(".nuke", "parameters.json"), """{ "Stack": "from-json" }""");
        var (build, _) = Show(new Dictionary<string, string> { ["Stack"] = "", ["NUKE_STACK"] = "" });
        Assert.EndsWith("|from-json", build.Seen);
    }

    [Fact]
    public void Environment_arrays_are_split_on_spaces_and_commas()
    {
        var (build, _) = Show(new Dictionary<string, string> { ["INSTANCE_TYPES"] = "t4g.small, t4g.medium m7g.large" });
        Assert.StartsWith("t4g.small+t4g.medium+m7g.large|", build.Seen);
    }

    [Theory]
    [InlineData("--count", "many", "Parameter --count got 'many'; accepted: a whole number.")]
    [InlineData("--flavor", "mint", "Parameter --flavor got 'mint'; accepted: Vanilla|Chocolate.")]
    [InlineData("--older-than", "soon", "Parameter --older-than got 'soon'; accepted: a duration like 30d, 12h, 90m, 45s or 01:30:00.")]
    public void A_value_that_does_not_convert_names_the_parameter_and_the_accepted_values(string option, string value, string message)
    {
        var (build, run) = Show(null, option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.Equal("", build.Seen);
    }

    [Fact]
    public void Missing_profile_file_is_an_error()
    {
        var (_, run) = Show(null, "--profile", "nope");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(".nuke/parameters.nope.json does not exist", run.Output);
    }

    [Fact]
    public void Secrets_come_from_the_environment_and_are_masked_in_logs_and_help()
    {
        var env = new Dictionary<string, string> { ["API_TOKEN"] = "s3cr3t-value" };
        var (_, run) = Show(env);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("token is *****", run.Output);
        Assert.DoesNotContain("s3cr3t-value", run.Output);

        var help = BuildRun.Of(new ParametersBuild(), x => x.Show, _root.Path, env, "--help");
        Assert.Contains("(secret: ***** from env API_TOKEN)", help.Output);
        Assert.DoesNotContain("s3cr3t-value", help.Output);
    }

    [Fact]
    public void Help_shows_where_each_value_came_from()
    {
        var env = new Dictionary<string, string> { ["COUNT"] = "7" };
        var run = BuildRun.Of(new ParametersBuild(), x => x.Show, _root.Path, env, "--help", "--stack", "prod");
        Assert.Contains("Currently '7' (from env COUNT).", run.Output);
        Assert.Contains("Currently 'prod' (from command line).", run.Output);
        Assert.Contains("Default: 'Vanilla'.", run.Output);
        Assert.Contains("<Vanilla|Chocolate>", run.Output);
    }
}
