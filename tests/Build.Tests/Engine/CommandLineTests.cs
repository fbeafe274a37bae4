using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>Every word on the command line is a parameter's value, a target, or an error with exit 2; values are checked before any target runs.</summary>
public class CommandLineTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    (RelationsBuild Build, BuildRun Run) Relations(params string[] args)
    {
        var build = new RelationsBuild();
        return (build, BuildRun.Of(build, x => x.Clean, _root.Path, null, args));
    }

    (ParametersBuild Build, BuildRun Run) Parameters(Dictionary<string, string>? env, params string[] args)
    {
        var build = new ParametersBuild();
        return (build, BuildRun.Of(build, x => x.Show, _root.Path, env, args));
    }

    [Theory]
    [InlineData("--plan", "Compile")]
    [InlineData("Compile", "--plan")]
    [InlineData("--no-logo", "--plan", "Compile")]
    [InlineData("--plan", "--no-logo", "Compile")]
    public void Plan_takes_no_value_so_a_target_may_follow_it(params string[] args)
    {
        var (build, run) = Relations(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("2. Lint\n  3. Compile (invoked)", run.Output.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("--no-logo", "Compile")]
    [InlineData("Compile", "--no-logo")]
    [InlineData("--name", "x", "Compile")]
    [InlineData("--with-optional", "Compile")]
    [InlineData("--with-optional", "false", "Compile")]
    public void A_target_after_a_switch_or_a_single_value_runs(params string[] args)
    {
        var (build, run) = Relations(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Restore", "Lint", "Compile"], build.Ran);
    }

    [Fact]
    public void A_bool_parameter_takes_a_true_or_false_word_and_leaves_others_to_targets()
    {
        var (build, run) = Parameters(null, "--force", "Show");
        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("|True|dev", build.Seen);
        (build, _) = Parameters(null, "--force", "false", "Show");
        Assert.EndsWith("|False|dev", build.Seen);
    }

    [Theory]
    [InlineData(new[] { "Compile", "--name", "x", "stray" }, "Unknown target 'stray'.")]
    [InlineData(new[] { "--plan", "Complie" }, "Unknown target 'Complie'. Did you mean 'Compile'?")]
    [InlineData(new[] { "--no-logo", "--nmae", "x", "Compile" }, "Unknown parameter '--nmae'. Did you mean '--name'?")]
    public void A_word_nothing_consumes_is_an_error_with_exit_2(string[] args, string message)
    {
        var (build, run) = Relations(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.Empty(build.Ran);
    }

    [Theory]
    [InlineData(new[] { "--plan=Compile" }, "Option --plan takes no value (or one of true/false), but got 'Compile'; to name a target, put it apart: --plan Compile.")]
    [InlineData(new[] { "--no-logo=Compile" }, "Option --no-logo takes no value (or one of true/false), but got 'Compile'")]
    [InlineData(new[] { "Compile", "--help=Lint" }, "Option --help takes no value (or one of true/false), but got 'Lint'")]
    [InlineData(new[] { "--help", "Complie" }, "Unknown target 'Complie'. Did you mean 'Compile'?")]
    [InlineData(new[] { "Complie", "--help" }, "Unknown target 'Complie'. Did you mean 'Compile'?")]
    [InlineData(new[] { "--with-optional=Compile" }, "Parameter --with-optional got 'Compile'")]
    [InlineData(new[] { "Compile", "--", "extra", "words" }, "Words after -- ('extra words') are passed to a target that runs a command, but Compile takes none.")]
    [InlineData(new[] { "--plan", "--", "x" }, "Words after -- ('x') are passed to a target that runs a command, but Clean takes none.")]
    public void A_switch_given_a_value_an_unknown_target_beside_help_or_unread_passed_words_exit_2(string[] args, string message)
    {
        var (build, run) = Relations(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.DoesNotContain("Targets (with their direct dependencies)", run.Output);
        Assert.Empty(build.Ran);
    }

    [Theory]
    [InlineData("--plan=false", "Compile")]
    [InlineData("--no-logo=true", "Compile")]
    public void A_switch_takes_a_true_or_false_value(params string[] args)
    {
        var (build, run) = Relations(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["Restore", "Lint", "Compile"], build.Ran);
    }

    [Theory]
    [InlineData(new[] { "Snapshots", "--", "status" }, "Words after -- ('status') are passed to a target that runs a command, but Snapshots takes none (only OpenClaw does).")]
    [InlineData(new[] { "--", "status" }, "Words after -- ('status') are passed to a target that runs a command, but Help takes none (only OpenClaw does).")]
    [InlineData(new[] { "--help", "Deplyo" }, "Unknown target 'Deplyo'. Did you mean 'Deploy'?")]
    [InlineData(new[] { "--plan=Deploy" }, "Option --plan takes no value (or one of true/false), but got 'Deploy'")]
    [InlineData(new[] { "--no-logo=Deploy" }, "Option --no-logo takes no value (or one of true/false), but got 'Deploy'")]
    public void The_runbook_refuses_the_same_slips(string[] args, string message)
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
    }

    [Fact]
    public void Words_after_double_dash_reach_a_target_that_takes_them()
    {
        var run = BuildRun.Of(new global::Build(), _root.Path, null, "--plan", "OpenClaw", "--", "status");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("OpenClaw (invoked)", run.Output);
    }

    [Theory]
    [InlineData("--older-than", "-5d", "Parameter --older-than got '-5d'; accepted: a duration like 30d")]
    [InlineData("--older-than", "-5", "Parameter --older-than got '-5'; accepted: more than zero.")]
    [InlineData("--stack", "-X", "Parameter --stack got '-X'; accepted: lower-case letters and dashes.")]
    public void A_value_starting_with_a_dash_belongs_to_its_parameter(string option, string value, string message)
    {
        var (build, run) = Parameters(null, "Show", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.DoesNotContain("Unknown parameter", run.Output);
        Assert.Equal("", build.Seen);
    }

    [Fact]
    public void A_negative_number_is_a_value_where_the_type_allows_it()
    {
        var (build, run) = Parameters(null, "Show", "--count", "-3", "--stack", "prod");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("t4g.small|-3|Vanilla|30.00:00:00|False|prod", build.Seen);
    }

    [Fact]
    public void A_single_value_parameter_followed_by_a_known_option_has_no_value()
    {
        var (_, run) = Parameters(null, "Show", "--stack", "--force");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Parameter --stack got '(no value)'", run.Output);
    }

    [Theory]
    [InlineData("--instance-types", "", "Parameter --instance-types got ''; accepted: at least one value.")]
    [InlineData("--older-than", "0", "Parameter --older-than got '0'; accepted: more than zero.")]
    [InlineData("--stack", "", "Parameter --stack got ''; accepted: lower-case letters and dashes.")]
    [InlineData("--stack", "Prod Stack", "Parameter --stack got 'Prod Stack'; accepted: lower-case letters and dashes.")]
    public void Value_rules_refuse_before_any_target_runs(string option, string value, string message)
    {
        var (build, run) = Parameters(null, "Show", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.Equal("", build.Seen);
    }

    [Fact]
    public void Value_rules_apply_to_environment_and_parameter_files_too()
    {
        var (_, fromEnv) = Parameters(new Dictionary<string, string> { ["OLDER_THAN"] = "0s" }, "Show");
        Assert.Equal(2, fromEnv.ExitCode);
        Assert.Contains("Parameter --older-than got '0s'; accepted: more than zero.", fromEnv.Output);

        File.WriteAllText(_root.Combine(".nuke", "parameters.json"), """{ "Stack": "Not/Valid" }""");
        var (_, fromFile) = Parameters(null, "Show");
        Assert.Equal(2, fromFile.ExitCode);
        Assert.Contains("Parameter --stack got 'Not/Valid'", fromFile.Output);
    }
}
