using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>The exact pulumi calls each lifecycle target makes, in order, in infra/.</summary>
public class TargetCallsTests : IDisposable
{
    const string Version = "version";
    const string Select = "stack select --stack dev --non-interactive";
    const string CreateOrSelect = "stack select --stack dev --non-interactive --create";
    const string PreviewJson = "preview --json --stack dev --non-interactive";
    const string Up = "up --yes --skip-preview --stack dev --non-interactive";
    const string Refresh = "refresh --yes --stack dev --non-interactive";
    const string Outputs = "stack output --json --stack dev --non-interactive";
    const string GetImage = "config get openclaw:openclaw_image --stack dev --non-interactive";
    /// <summary>Deploy pins the default image to the digest FakePulumi.Registry serves.</summary>
    static string SetImage => "config set openclaw:openclaw_image --stack dev --non-interactive --plaintext -- " +
                              $"ghcr.io/openclaw/openclaw:latest@{FakePulumi.Registry.DigestOf("openclaw/openclaw", "latest")}";

    readonly FakePulumi _pulumi = new();
    public void Dispose() => _pulumi.Dispose();

    [Fact]
    public void Deploy_previews_then_runs_up_in_infra()
    {
        _pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-one-update.json");

        var run = _pulumi.Run("Deploy", "--skip", "SpotPrices", "ConfigureAz");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Version, CreateOrSelect, GetImage, SetImage, PreviewJson, Up], _pulumi.Calls);
        Assert.All(_pulumi.WorkingDirectories.Skip(1), cwd => Assert.Equal(_pulumi.Root.Combine("infra"), cwd));
        Assert.Contains("Updating (dev)", run.Output);
    }

    [Fact]
    public void Deploy_creates_a_missing_stack()
    {
        _pulumi.AnswerWithScenario("preview", "preview-one-update.json");
        Assert.False(_pulumi.StackExists("dev"));

        var run = _pulumi.Run("Deploy", "--skip", "SpotPrices", "ConfigureAz");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(_pulumi.StackExists("dev"));
        Assert.Equal([Version, CreateOrSelect, GetImage, SetImage, PreviewJson, Up], _pulumi.Calls);
    }

    [Fact]
    public void Deploy_installs_infra_dependencies_when_node_modules_is_missing()
    {
        using var pulumi = new FakePulumi(nodeModules: false);
        pulumi.WithStack("dev");

        var run = pulumi.Run("Deploy", "--skip", "SpotPrices", "ConfigureAz");

        Assert.True(run.ExitCode == 0, run.Output);
        var npm = run.Output.IndexOf("Installing infra/ dependencies with npm ci (first run, 10-40 s) ...", StringComparison.Ordinal);
        Assert.InRange(npm, 0, run.Output.IndexOf("Stack dev is up to date", StringComparison.Ordinal));
    }

    [Fact]
    public void Deploy_does_not_run_up_when_nothing_changes()
    {
        _pulumi.WithStack("dev");

        var run = _pulumi.Run("Deploy", "--skip", "SpotPrices", "ConfigureAz");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Version, CreateOrSelect, GetImage, SetImage, PreviewJson], _pulumi.Calls);
        Assert.Contains("Stack dev is up to date: nothing to deploy.", run.Output);
    }

    [Fact]
    public void Deploy_uses_the_given_stack_everywhere()
    {
        _pulumi.WithStack("prod").AnswerWithScenario("preview", "preview-one-update.json");

        var run = _pulumi.Run("Deploy", "--stack", "prod", "--skip", "SpotPrices", "ConfigureAz");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(_pulumi.Calls.Skip(1), call => Assert.Contains("--stack prod --non-interactive", call));
        Assert.DoesNotContain(_pulumi.Calls, call => call.Contains("--stack dev"));
    }

    [Fact]
    public void Preview_only_previews()
    {
        _pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-one-update.json");

        var run = _pulumi.Run("Preview");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Version, CreateOrSelect, PreviewJson], _pulumi.Calls);
    }

    [Fact]
    public void Refresh_refreshes_an_existing_stack()
    {
        _pulumi.WithStack("dev");

        var run = _pulumi.Run("Refresh");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Version, Select, Refresh], _pulumi.Calls);
        Assert.Contains("Refreshing (dev)", run.Output);
    }

    [Fact]
    public void Redeploy_refreshes_then_deploys()
    {
        _pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-one-update.json");

        var run = _pulumi.Run("Redeploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Version, Select, Refresh, GetImage, SetImage, PreviewJson, Up], _pulumi.Calls);
    }

    [Fact]
    public void Outputs_prints_every_output()
    {
        _pulumi.WithStack("dev", outputsScenario: "outputs.json");

        var run = _pulumi.Run("Outputs");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([Version, Select, Outputs], _pulumi.Calls);
        Assert.Matches(@"data_volume_id\s+vol-0c2f9a7d1e3b45a68", run.Output);
        Assert.Matches(@"ssm_connect_command\s+aws ssm start-session --region me-central-1 --target i-0e5c06a420bec257c", run.Output);
        Assert.Contains("\"/openclaw/dev/boot\"", run.Output);
    }

    [Fact]
    public void Destroy_with_yes_runs_destroy_after_the_skipped_final_snapshot()
    {
        _pulumi.WithStack("dev", outputsScenario: "outputs.json");
        using var aws = new Fakes.FakeAws();

        var run = _pulumi.RunWith(aws, "Destroy", "--yes", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        // The outputs name the instance whose spot request is cancelled before the destroy.
        // It asks the config whether the stack keeps its data volume (Runbook/StackTeardown.cs) before it cancels the spot request.
        Assert.Equal([Version, Select, "config get openclaw:data_volume_retain_on_destroy --stack dev --non-interactive",
            "config get openclaw:data_volume_id --stack dev --non-interactive", Outputs, "destroy --yes --stack dev --non-interactive"], _pulumi.Calls);
        Assert.Contains("WARNING: !!! FinalSnapshot was skipped: the data volume is deleted WITHOUT a final snapshot", run.Output);
    }
}
