using System.Text.Json;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Lifecycle;

/// <summary>PlatformDeploy and PlatformOutputs through the fake pulumi CLI, in infra/platform.</summary>
public class PlatformTests : IDisposable
{
    const string Repo = "octo-org/openclaw-runbook";
    readonly FakePulumi _pulumi = new();

    public PlatformTests() => Directory.CreateDirectory(_pulumi.Root.Combine("infra", "platform"));

    public void Dispose() => _pulumi.Dispose();

    void UpWritesPlatformOutputs() =>
        File.Copy(FakePulumi.Scenario("platform-outputs.json"), Path.Combine(_pulumi.State, "up.outputs.json"));

    [Fact]
    public void PlatformDeploy_sets_the_repository_deploys_in_infra_platform_and_prints_the_variables_to_set()
    {
        UpWritesPlatformOutputs();

        var run = _pulumi.Run("PlatformDeploy", "--github-repo", Repo);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(
        [
            "version",
            "stack select --stack platform --non-interactive --create",
            $"config set openclaw-platform:github_repo --stack platform --non-interactive --plaintext -- {Repo}",
            "up --yes --skip-preview --stack platform --non-interactive",
            "stack output --json --stack platform --non-interactive",
        ], _pulumi.Calls);
        Assert.All(_pulumi.WorkingDirectories, directory => Assert.Equal(_pulumi.Root.Combine("infra", "platform"), directory));
        Assert.Contains($"gh variable set AWS_PREVIEW_ROLE_ARN --repo {Repo} --body 'arn:aws:iam::123456789012:role/openclaw-github-preview'", run.Output);
        Assert.Contains($"gh variable set AWS_DEPLOY_ROLE_ARN --repo {Repo} --body 'arn:aws:iam::123456789012:role/openclaw-github-deploy'", run.Output);
        Assert.Contains($"gh variable set AWS_REGION --repo {Repo} --body 'me-central-1'", run.Output);
        Assert.Contains($"gh variable set PULUMI_BACKEND_URL --repo {Repo} --body 's3://pulumi-state-openclaw-123456789012-me-central-1?region=me-central-1'", run.Output);
        Assert.Contains("Create the GitHub environment 'production'", run.Output);
        Assert.Contains("Required reviewers", run.Output);
        Assert.Contains("Prevent self-review", run.Output);
        Assert.Contains("Selected branches, only main", run.Output);
        Assert.Contains("--secrets-provider 'awskms://0000aaaa-bb11-4c22-8d33-eeeeffff0000?region=me-central-1'", run.Output);
    }

    [Theory]
    [InlineData(new string[0], "requires parameter --github-repo")]
    [InlineData(new[] { "--github-repo", "not a repo" }, "Parameter --github-repo got 'not a repo'; accepted: a GitHub repository as owner/name")]
    public void PlatformDeploy_without_a_repository_changes_nothing(string[] extra, string message)
    {
        var run = _pulumi.Run(["PlatformDeploy", .. extra]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Output);
        Assert.DoesNotContain(_pulumi.Calls, call => call.StartsWith("up", StringComparison.Ordinal) || call.StartsWith("config set", StringComparison.Ordinal));
    }

    [Fact]
    public void PlatformDeploy_reports_a_failed_up_in_one_sentence()
    {
        _pulumi.Answer("up", stderr: "error: AccessDenied: User is not authorized to perform: iam:CreateRole\n", exitCode: 255);

        var run = _pulumi.Run("PlatformDeploy", "--github-repo", Repo);

        Assert.NotEqual(0, run.ExitCode);
        Assert.DoesNotContain("gh variable set", run.Output);
    }

    [Fact]
    public void PlatformOutputs_prints_the_role_arns_and_variables_of_the_deployed_platform()
    {
        _pulumi.WithStack("platform");
        UpWritesPlatformOutputs();
        File.Copy(FakePulumi.Scenario("platform-outputs.json"), Path.Combine(_pulumi.State, "stacks", "platform", "outputs.json"));

        var run = _pulumi.Run("PlatformOutputs");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("arn:aws:iam::123456789012:role/openclaw-github-deploy", run.Output);
        Assert.Contains($"gh variable set AWS_PREVIEW_ROLE_ARN --repo {Repo}", run.Output);
        Assert.DoesNotContain(_pulumi.Calls, call => call.StartsWith("up", StringComparison.Ordinal));
    }

    [Fact]
    public void PlatformOutputs_before_PlatformDeploy_says_what_to_run()
    {
        _pulumi.WithStack("platform");

        var run = _pulumi.Run("PlatformOutputs");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("run ./build.sh PlatformDeploy --github-repo <owner>/<name> first", run.Output);
    }
}

/// <summary>PlatformPlan end to end: the real platform program under Pulumi mocks (npm run platform-plan), no pulumi CLI, no AWS.</summary>
public class PlatformPlanTests : IDisposable
{
    static readonly string Infra = Path.Combine(RepositoryRoot.Path, "infra");
    readonly TempDirectory _root = new();

    public PlatformPlanTests()
    {
        var environment = Environment();
        NpmDependencies.EnsureAsync(Infra, environment, CancellationToken.None).GetAwaiter().GetResult();
        var infra = Directory.CreateDirectory(_root.Combine("infra")).FullName;
        foreach (var file in new[] { "package.json", "package-lock.json", "tsconfig.json" })
        {
            File.Copy(Path.Combine(Infra, file), Path.Combine(infra, file));
            File.SetLastWriteTimeUtc(Path.Combine(infra, file), File.GetLastWriteTimeUtc(Path.Combine(Infra, file)));
        }
        foreach (var directory in new[] { "src", "scripts", "platform" })
            Directory.CreateSymbolicLink(Path.Combine(infra, directory), Path.Combine(Infra, directory));
        Directory.CreateSymbolicLink(Path.Combine(infra, "node_modules"), Path.Combine(Infra, "node_modules"));
    }

    public void Dispose() => _root.Dispose();

    Dictionary<string, string> Environment() => new()
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = _root.Combine("home"),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    [Fact]
    public void Plans_both_roles_with_their_policies_and_writes_the_operator_policy_offline()
    {
        var environment = Environment();
        Assert.Null(ProcessRunner.Find("pulumi", environment));

        var run = BuildRun.Of(new global::Build(), _root.Path, environment, "PlatformPlan");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Planning the platform platform offline from infra/platform/Pulumi.example.yaml", run.Output);
        Assert.Contains("Role openclaw-github-preview (preview): trusted only for sub repo:octo-org/openclaw-runbook:pull_request", run.Output);
        Assert.Contains("Role openclaw-github-deploy (deploy): trusted only for sub repo:octo-org/openclaw-runbook:environment:production", run.Output);
        foreach (var role in new[] { "preview", "deploy" })
        {
            using var report = JsonDocument.Parse(File.ReadAllText(_root.Combine("artifacts", "platform", $"{role}-role.json")));
            Assert.NotEmpty(report.RootElement.GetProperty("policy").GetProperty("Statement").EnumerateArray());
        }
        using var operatorPolicy = JsonDocument.Parse(File.ReadAllText(_root.Combine("artifacts", "iam", "operator-policy.json")));
        Assert.Equal("2012-10-17", operatorPolicy.RootElement.GetProperty("Version").GetString());
        Assert.Contains(operatorPolicy.RootElement.GetProperty("Statement").EnumerateArray(),
            s => s.GetProperty("Action").EnumerateArray().Any(a => a.GetString() == "ec2:CreateSnapshot"));
        TheDocsShowThisOutput(run.Output);
    }

    /// <summary>
    /// docs/platform.md's PlatformPlan example (after its `[...]`) is this run's output from the first role line to the
    /// operator policy line; APPROVE=1 rewrites it from the run (the repository's one accept flow, docs/testing.md).
    /// </summary>
    static void TheDocsShowThisOutput(string output)
    {
        var page = Path.Combine(RepositoryRoot.Path, "docs", "platform.md");
        var text = File.ReadAllText(page).Replace("\r\n", "\n");
        const string Head = "```text\n$ ./build.sh PlatformPlan\n[...]\n";
        var begin = text.IndexOf(Head, text.IndexOf("### PlatformPlan", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(begin >= 0, $"docs/platform.md's PlatformPlan section has no block starting {Head}");
        begin += Head.Length;
        var end = text.IndexOf("```", begin, StringComparison.Ordinal);
        var lines = output.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).ToList();
        var first = lines.FindIndex(l => l.StartsWith("Role ", StringComparison.Ordinal));
        var last = lines.FindIndex(l => l.StartsWith("Operator policy:", StringComparison.Ordinal));
        Assert.True(first >= 0 && last >= first, output);
        var printed = string.Join('\n', lines[first..(last + 1)]) + "\n";
        if (printed != text[begin..end] && System.Environment.GetEnvironmentVariable("APPROVE") == "1")
        {
            File.WriteAllText(page, text[..begin] + printed + text[end..]);
            return;
        }
        Assert.True(printed == text[begin..end],
            $"docs/platform.md's PlatformPlan example is stale (accept with APPROVE=1); the build prints:\n{printed}");
    }
}
