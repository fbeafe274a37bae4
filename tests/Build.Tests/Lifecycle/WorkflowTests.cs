using System.Diagnostics;
using BuildEngine.GitHubActions;
using Runbook.Tests.Harness;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Runbook.Tests.Lifecycle;

/// <summary>preview.yml, deploy.yml and destroy.yml: up to date, and doing what docs/workflows.md says.</summary>
public class WorkflowTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    global::Build LoadedBuild()
    {
        var build = new global::Build();
        Assert.Equal(0, BuildRun.Of(build, _root.Path, null, "--help", "--no-logo").ExitCode);
        return build;
    }

    string Generate(string name)
    {
        var build = LoadedBuild();
        return WorkflowGenerator.Generate(build, WorkflowGenerator.Declared(build).Single(w => w.Name == name));
    }

    static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    static List<YamlMappingNode> Steps(YamlMappingNode workflow) =>
        ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)workflow["jobs"])["ubuntu-latest"])["steps"]).Cast<YamlMappingNode>().ToList();

    static string? Value(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(key, out var next)) return null;
            current = next;
        }
        return current.ToString();
    }

    [Theory]
    [InlineData("preview")]
    [InlineData("deploy")]
    [InlineData("destroy")]
    public void Committed_workflow_is_what_the_build_generates(string name)
    {
        var path = Path.Combine(RepositoryRoot.Path, ".github", "workflows", name + ".yml");
        Assert.True(File.Exists(path), $".github/workflows/{name}.yml is missing: run ./build.sh GenerateWorkflows.");
        var generated = Generate(name);
        var committed = File.ReadAllText(path);
        Assert.True(committed == generated, $".github/workflows/{name}.yml is stale: run ./build.sh GenerateWorkflows.\n{Approvals.Diff(committed, generated)}");
    }

    static bool Uses(YamlMappingNode step, ActionPin action) => Value(step, "uses") == action.Uses;

    [Theory]
    [InlineData("preview", "AWS_PREVIEW_ROLE_ARN", null, null)]
    [InlineData("deploy", "AWS_DEPLOY_ROLE_ARN", "production", "7200")]
    [InlineData("destroy", "AWS_DEPLOY_ROLE_ARN", "production", "7200")]
    public void Sets_up_OIDC_credentials_of_its_role_and_the_pulumi_cli_before_the_build(string name, string roleVariable, string? environment, string? sessionSeconds)
    {
        var workflow = Parse(Generate(name));
        var steps = Steps(workflow);
        var aws = steps.FindIndex(s => Uses(s, WorkflowActions.ConfigureAwsCredentials));
        var pulumi = steps.FindIndex(s => Uses(s, WorkflowActions.InstallPulumi));
        var build = steps.FindIndex(s => Value(s, "run")?.StartsWith("./build.sh ") == true);

        Assert.Equal("write", Value(workflow, "permissions", "id-token"));
        Assert.Equal($"${{{{ vars.{roleVariable} }}}}", Value(steps[aws], "with", "role-to-assume"));
        Assert.Equal("${{ vars.AWS_REGION }}", Value(steps[aws], "with", "aws-region"));
        Assert.Equal(sessionSeconds, Value(steps[aws], "with", "role-duration-seconds"));
        // The deploy role trusts only jobs in this environment (its sub is repo:<owner>/<repo>:environment:production).
        Assert.Equal(environment, Value(workflow, "jobs", "ubuntu-latest", "environment"));
        Assert.InRange(aws, 0, build - 1);
        Assert.InRange(pulumi, 0, build - 1);
        Assert.Null(Value(steps[pulumi], "with", "command"));
        Assert.Equal(environment is null ? null : "${{ secrets.PULUMI_ACCESS_TOKEN }}", Value(steps[build], "env", "PULUMI_ACCESS_TOKEN"));
        Assert.Equal(environment is null ? null : "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}", Value(steps[build], "env", "PULUMI_CONFIG_PASSPHRASE"));
        Assert.Equal("${{ vars.PULUMI_BACKEND_URL }}", Value(steps[build], "env", "PULUMI_BACKEND_URL"));
    }

    [Fact]
    public void Preview_gives_pull_request_code_no_secret()
    {
        // Whoever can push a branch runs their code in preview.yml: a Pulumi Cloud token or the passphrase there would
        // let it rewrite the deployed stacks' state or decrypt their secrets.
        Assert.DoesNotContain("secrets.", Generate("preview"));
    }

    [Theory]
    [InlineData("ci")]
    [InlineData("preview")]
    [InlineData("deploy")]
    [InlineData("destroy")]
    public void Sets_up_a_supported_node_lts(string name)
    {
        var steps = Steps(Parse(Generate(name)));
        var node = steps.FindIndex(s => Uses(s, WorkflowActions.SetupNode));
        var build = steps.FindIndex(s => Value(s, "run")?.StartsWith("./build.sh ") == true);
        Assert.Single(steps, s => Uses(s, WorkflowActions.SetupNode));
        Assert.InRange(node, 0, build - 1);
        Assert.Contains(Value(steps[node], "with", "node-version"), new[] { "22", "24" });
    }

    [Fact]
    public void Ci_gets_no_secret_and_no_aws_role()
    {
        var yaml = Generate("ci");
        var workflow = Parse(yaml);

        Assert.Equal(["contents"], ((YamlMappingNode)workflow["permissions"]).Children.Keys.Select(k => k.ToString()));
        Assert.Equal("read", Value(workflow, "permissions", "contents"));
        Assert.DoesNotContain("secrets.", yaml);
        Assert.DoesNotContain("vars.", yaml);
        Assert.DoesNotContain(Steps(workflow), s => Uses(s, WorkflowActions.ConfigureAwsCredentials));
        Assert.Null(Value(workflow, "jobs", "ubuntu-latest", "environment"));
    }

    [Fact]
    public void Preview_runs_on_pull_requests()
    {
        var workflow = Parse(Generate("preview"));

        Assert.Equal(["pull_request"], ((YamlMappingNode)workflow["on"]).Children.Keys.Select(k => k.ToString()));
        Assert.Contains(Steps(workflow), s => Value(s, "run") == "./build.sh Preview");
    }

    [Fact]
    public void Deploy_is_started_by_hand_for_a_stack()
    {
        var workflow = Parse(Generate("deploy"));

        Assert.Equal("true", Value(workflow, "on", "workflow_dispatch", "inputs", "Stack", "required"));
        Assert.Equal("false", Value(workflow, "on", "workflow_dispatch", "inputs", "InstanceType", "required"));
        var run = Steps(workflow).Single(s => Value(s, "run") == "./build.sh Deploy");
        Assert.Equal("${{ github.event.inputs.Stack }}", Value(run, "env", "Stack"));
        Assert.Equal("${{ github.event.inputs.InstanceType }}", Value(run, "env", "InstanceType"));
    }

    [Fact]
    public void Deploy_with_the_instance_type_input_left_empty_deploys_the_pinned_stack()
    {
        using var pulumi = new FakePulumi();
        pulumi.WithStack("prod", new Dictionary<string, string> { ["openclaw:availability_zone"] = "me-central-1a" })
            .AnswerWithScenario("preview", "preview-one-update.json");
        // What GitHub passes for an optional input nobody filled in: an empty string.
        var environment = new Dictionary<string, string>(pulumi.Environment) { ["Stack"] = "prod", ["InstanceType"] = "" };

        var run = BuildRun.Of(new global::Build(), pulumi.Root.Path, environment, "Deploy");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("up --yes --skip-preview --stack prod --non-interactive", pulumi.Calls);
    }

    [Fact]
    public void Destroy_takes_the_final_snapshot_after_the_typed_name_matched()
    {
        var workflow = Parse(Generate("destroy"));
        var steps = Steps(workflow);

        Assert.Equal("true", Value(workflow, "on", "workflow_dispatch", "inputs", "ConfirmStack", "required"));
        var check = steps.FindIndex(s => Value(s, "name") == "Check the typed stack name");
        var run = steps.FindIndex(s => Value(s, "run") == "./build.sh FinalSnapshot Destroy");
        Assert.InRange(check, 0, run - 1);
        Assert.Equal("${{ github.event.inputs.ConfirmStack }}", Value(steps[run], "env", "ConfirmStack"));
    }

    [Theory]
    [InlineData("dev", "dev", 0, "YES=true\n")]
    [InlineData("dev", "prod", 1, "")]
    [InlineData("dev", "", 1, "")]
    public void Destroy_check_step_answers_yes_only_for_the_right_name(string stack, string typed, int exitCode, string githubEnv)
    {
        var step = Steps(Parse(Generate("destroy"))).Single(s => Value(s, "name") == "Check the typed stack name");
        var envFile = _root.Combine("github-env");
        File.WriteAllText(envFile, "");
        var info = new ProcessStartInfo("bash", ["-e", "-c", Value(step, "run")!]) { RedirectStandardOutput = true };
        info.Environment["STACK"] = stack;
        info.Environment["CONFIRM_STACK"] = typed;
        info.Environment["GITHUB_ENV"] = envFile;

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(exitCode, process.ExitCode);
        Assert.Equal(githubEnv, File.ReadAllText(envFile));
        if (exitCode != 0) Assert.Contains("::error::", output);
    }

    [Fact]
    public void The_build_reads_the_workflows_environment_as_yes_and_the_typed_name()
    {
        using var pulumi = new FakePulumi();
        pulumi.WithStack("prod", outputsScenario: "outputs.json");
        using var aws = new Fakes.FakeAws();
        var environment = new Dictionary<string, string>(pulumi.EnvironmentWith(aws)) { ["Stack"] = "prod", ["ConfirmStack"] = "prod", ["YES"] = "true" };

        var run = BuildRun.Of(new global::Build(), pulumi.Root.Path, environment, "Destroy", "--skip", "FinalSnapshot");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("destroy --yes --stack prod --non-interactive", pulumi.Calls);
    }
}
