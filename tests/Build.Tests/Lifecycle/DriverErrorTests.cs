using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>What the operator sees when the pulumi CLI, the stack or the backend is not there.</summary>
public class DriverErrorTests : IDisposable
{
    readonly FakePulumi _pulumi = new();
    public void Dispose() => _pulumi.Dispose();

    [Fact]
    public void Missing_cli_names_the_install_page_and_the_minimum_version()
    {
        using var nothing = new FakePulumi(installed: false);

        var run = nothing.Run("Deploy", "--skip", "SpotPrices", "ConfigureAz");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: The pulumi CLI is not installed (not on PATH): install version 3.100.0 or newer from https://www.pulumi.com/docs/install/", run.Output);
        Assert.Contains("./build.sh Plan", run.Output);
    }

    [Fact]
    public void Cli_in_the_installers_folder_is_found_without_PATH()
    {
        using var fake = new FakePulumi(installed: false);
        var bin = Directory.CreateDirectory(Path.Combine(fake.Environment["HOME"], ".pulumi", "bin")).FullName;
        File.Copy(FakePulumi.Scenario(Path.Combine("..", "pulumi")), Path.Combine(bin, "pulumi"));
        File.SetUnixFileMode(Path.Combine(bin, "pulumi"), (UnixFileMode)0b111_101_101);
        fake.WithStack("dev");

        var run = fake.Run("Refresh");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("refresh --yes --stack dev --non-interactive", fake.Calls);
    }

    [Fact]
    public void Too_old_cli_is_refused_before_it_touches_the_stack()
    {
        _pulumi.WithStack("dev").Version("v3.99.2");

        var run = _pulumi.Run("Refresh");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: pulumi 3.99.2 is older than the 3.100.0 this runbook needs; upgrade it (https://www.pulumi.com/docs/install/).", run.Output);
        Assert.Equal(["version"], _pulumi.Calls);
    }

    [Theory]
    [InlineData("Refresh")]
    [InlineData("Outputs")]
    public void Missing_stack_is_reported_and_not_created(string target)
    {
        var run = _pulumi.Run(target, "--stack", "qa");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: Stack 'qa' does not exist in the Pulumi backend: deploy it first (./build.sh Deploy --stack qa)", run.Output);
        Assert.Equal(["version", "stack select --stack qa --non-interactive"], _pulumi.Calls);
        Assert.False(_pulumi.StackExists("qa"));
    }

    [Fact]
    public void Outputs_of_a_stack_never_deployed_say_how_to_deploy_it()
    {
        _pulumi.WithStack("dev");

        var run = _pulumi.Run("Outputs");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("WARNING: Stack dev has no outputs yet: deploy it with ./build.sh Deploy --stack dev.", run.Output);
    }

    [Fact]
    public void Not_logged_in_says_how_to_log_in()
    {
        _pulumi.Answer("stack-select", stderr: "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions\n", exitCode: 255);

        var run = _pulumi.Run("Preview");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: pulumi is not logged in: set PULUMI_ACCESS_TOKEN, run `pulumi login`, or pass --pulumi-backend", run.Output);
    }

    [Fact]
    public void Backend_parameter_reaches_every_call()
    {
        _pulumi.WithStack("dev");

        var run = _pulumi.Run("Refresh", "--pulumi-backend", "s3://openclaw-state/pulumi");

        Assert.True(run.ExitCode == 0, run.Output);
        var backends = File.ReadAllLines(Path.Combine(_pulumi.State, "calls.backend"));
        Assert.Equal(3, backends.Length);
        Assert.All(backends, backend => Assert.Equal("s3://openclaw-state/pulumi", backend));
    }

    [Fact]
    public void Backend_from_the_environment_is_used_as_it_is()
    {
        _pulumi.WithStack("dev");
        var environment = new Dictionary<string, string>(_pulumi.Environment) { ["PULUMI_BACKEND_URL"] = "file:///srv/pulumi-state" };

        var run = Runbook.Tests.Harness.BuildRun.Of(new global::Build(), _pulumi.Root.Path, environment, "Refresh");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(File.ReadAllLines(Path.Combine(_pulumi.State, "calls.backend")), backend => Assert.Equal("file:///srv/pulumi-state", backend));
    }

    [Fact]
    public void Failed_refresh_fails_the_target_with_its_exit_code()
    {
        _pulumi.WithStack("dev").Answer("refresh", "Refreshing (dev)\n", "error: refresh failed\n", exitCode: 255);

        var run = _pulumi.Run("Redeploy");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ERROR: pulumi refresh failed with exit code 255: refresh failed.", run.Output);
        Assert.DoesNotContain(_pulumi.Calls, call => call.StartsWith("up "));
    }
}
