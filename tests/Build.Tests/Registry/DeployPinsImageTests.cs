using System.Text.RegularExpressions;
using Runbook.Tests.Fakes;
using Runbook.Tests.Harness;
using Runbook.Tests.Lifecycle;
using Xunit;

namespace Runbook.Tests.Registry;

/// <summary>Deploy runs the image by digest: a tag (or the default) is resolved, printed and pinned into the stack config before preview.</summary>
public class DeployPinsImageTests : IDisposable
{
    const string Key = "openclaw:openclaw_image";
    readonly FakePulumi _pulumi = new();
    readonly FakeRegistry _registry = new FakeRegistry().WithImage("openclaw/openclaw", "latest").WithImage("openclaw/openclaw", "2026.9.6");

    BuildRun Deploy(string? registryUrl = null)
    {
        var environment = _pulumi.Environment;
        environment[RegistryClient.MirrorVariable] = registryUrl ?? _registry.Url;
        return BuildRun.Of(new global::Build(), _pulumi.Root.Path, environment, "Deploy", "--skip", "SpotPrices", "ConfigureAz");
    }

    [Fact]
    public void Pins_the_default_image_before_preview_and_prints_the_digest()
    {
        _pulumi.WithStack("dev").AnswerWithScenario("preview", "preview-one-update.json");
        var digest = _registry.DigestOf("openclaw/openclaw", "latest");

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal($"ghcr.io/openclaw/openclaw:latest@{digest}", _pulumi.Config("dev", Key));
        Assert.Contains($"Pinned ghcr.io/openclaw/openclaw:latest to {digest}", run.Output);
        var calls = _pulumi.Calls.ToList();
        var set = calls.FindIndex(c => c.StartsWith($"config set {Key}", StringComparison.Ordinal));
        Assert.InRange(set, 0, calls.FindIndex(c => c.StartsWith("preview", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pins_a_configured_tag()
    {
        _pulumi.WithStack("dev", new Dictionary<string, string> { [Key] = "ghcr.io/openclaw/openclaw:2026.9.6" });

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal($"ghcr.io/openclaw/openclaw:2026.9.6@{_registry.DigestOf("openclaw/openclaw", "2026.9.6")}", _pulumi.Config("dev", Key));
    }

    [Fact]
    public void Leaves_a_pinned_image_alone_and_asks_no_registry()
    {
        var pinned = "ghcr.io/openclaw/openclaw:latest@sha256:" + new string('b', 64);
        _pulumi.WithStack("dev", new Dictionary<string, string> { [Key] = pinned });

        var run = Deploy();

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(pinned, _pulumi.Config("dev", Key));
        Assert.Empty(_registry.Requests);
        Assert.DoesNotContain(_pulumi.Calls, c => c.StartsWith("config set", StringComparison.Ordinal));
        Assert.Contains($"OpenClaw image pinned by digest: {pinned}.", run.Output);
    }

    [Fact]
    public void Changes_nothing_when_the_registry_cannot_be_reached()
    {
        _pulumi.WithStack("dev");

        var run = Deploy("http://127.0.0.1:9");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(Regex.Matches(run.Output, "ERROR: "));
        Assert.Contains("ERROR: Not deploying: could not pin ghcr.io/openclaw/openclaw:latest to a digest: the registry at 127.0.0.1:9 did not answer", run.Output);
        Assert.DoesNotContain(_pulumi.Calls, c => c.StartsWith("preview", StringComparison.Ordinal) || c.StartsWith("up", StringComparison.Ordinal) || c.StartsWith("config set", StringComparison.Ordinal));
        Assert.Null(_pulumi.Config("dev", Key));
    }

    public void Dispose()
    {
        _pulumi.Dispose();
        _registry.Dispose();
        GC.SuppressFinalize(this);
    }
}
