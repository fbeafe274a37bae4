using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>The driver as IStackState, the way the discovery and snapshot targets read and write the stack.</summary>
public class StackStateTests : IDisposable
{
    readonly FakePulumi _pulumi = new();
    public void Dispose() => _pulumi.Dispose();

    PulumiStack Stack(string name = "dev") =>
        new(new PulumiCli(_pulumi.Root.Combine("infra"), _pulumi.Environment, null, CancellationToken.None), name);

    [Fact]
    public async Task Config_keys_get_the_project_namespace_unless_they_have_one()
    {
        _pulumi.WithStack("dev", new Dictionary<string, string> { ["openclaw:availability_zone"] = "me-central-1a", ["aws:region"] = "me-central-1" });
        var stack = Stack();

        Assert.Equal("me-central-1a", await stack.GetConfigAsync("availability_zone"));
        Assert.Equal("me-central-1", await stack.GetConfigAsync("aws:region"));
        Assert.Equal(
            ["version", "config get openclaw:availability_zone --stack dev --non-interactive", "config get aws:region --stack dev --non-interactive"],
            _pulumi.Calls);
    }

    [Fact]
    public async Task Missing_config_key_or_stack_is_null()
    {
        _pulumi.WithStack("dev");

        Assert.Null(await Stack().GetConfigAsync("data_volume_snapshot_id"));
        Assert.Null(await Stack("qa").GetConfigAsync("availability_zone"));
        Assert.False(_pulumi.StackExists("qa"));
    }

    [Fact]
    public async Task Set_creates_the_stack_and_passes_the_value_after_a_double_dash()
    {
        var stack = Stack();

        await stack.SetConfigAsync("instance_type", "t4g.small");
        await stack.SetConfigAsync("ssm_env_parameter", "-starts-with-a-dash", secret: true);

        Assert.Equal(
            [
                "version",
                "stack select --stack dev --non-interactive --create",
                "config set openclaw:instance_type --stack dev --non-interactive --plaintext -- t4g.small",
                "config set openclaw:ssm_env_parameter --stack dev --non-interactive --secret -- -starts-with-a-dash",
            ],
            _pulumi.Calls);
        Assert.Equal("t4g.small", _pulumi.Config("dev", "openclaw:instance_type"));
        Assert.Equal("-starts-with-a-dash", _pulumi.Config("dev", "openclaw:ssm_env_parameter"));
        Assert.True(_pulumi.IsSecret("dev", "openclaw:ssm_env_parameter"));
        Assert.False(_pulumi.IsSecret("dev", "openclaw:instance_type"));
    }

    [Fact]
    public async Task Remove_deletes_the_key()
    {
        _pulumi.WithStack("dev", new Dictionary<string, string> { ["openclaw:data_volume_snapshot_id"] = "snap-0a1b2c3d4e5f60718" });

        await Stack().RemoveConfigAsync("data_volume_snapshot_id");

        Assert.Contains("config rm openclaw:data_volume_snapshot_id --stack dev --non-interactive", _pulumi.Calls);
        Assert.Null(_pulumi.Config("dev", "openclaw:data_volume_snapshot_id"));
    }

    [Fact]
    public async Task Outputs_are_text_and_non_strings_stay_json()
    {
        _pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var outputs = await Stack().GetOutputsAsync();

        Assert.Equal("vol-0c2f9a7d1e3b45a68", outputs["data_volume_id"]);
        Assert.Equal("me-central-1a", outputs["availability_zone"]);
        Assert.Equal("""["/openclaw/dev/boot","/openclaw/dev/openclaw","/openclaw/dev/backup"]""", outputs["log_group_names"].Replace(" ", "").Replace("\n", ""));
    }

    [Fact]
    public async Task Outputs_of_a_stack_never_deployed_or_missing_are_empty()
    {
        _pulumi.WithStack("dev");

        Assert.Empty(await Stack().GetOutputsAsync());
        Assert.Empty(await Stack("qa").GetOutputsAsync());
    }

    [Fact]
    public async Task Other_config_failures_are_one_sentence()
    {
        _pulumi.WithStack("dev").Answer("config-get", stderr: "error: constructing secrets manager of type \"passphrase\": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables\n", exitCode: 255);

        var error = await Assert.ThrowsAsync<BuildEngine.BuildException>(() => Stack().GetConfigAsync("ssm_env_parameter"));

        Assert.Equal("The stack's secrets are encrypted with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) and run again.", error.Message);
    }

    [Fact]
    public void The_build_creates_its_driver_for_the_selected_stack()
    {
        var build = new global::Build();
        var run = Runbook.Tests.Harness.BuildRun.Of(build, _pulumi.Root.Path, _pulumi.Environment, "--stack", "qa", "--help");
        Assert.Equal(0, run.ExitCode);

        var state = Assert.IsType<PulumiStack>(build.StackState);

        Assert.Equal("qa", state.Name);
        Assert.Same(state, build.StackState);
    }
}
