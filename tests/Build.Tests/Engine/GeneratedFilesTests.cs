using BuildEngine;
using BuildEngine.GitHubActions;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>Committed generated files must equal what the build generates now (NUKE only warns; we fail).</summary>
public class GeneratedFilesTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    global::Build LoadedBuild()
    {
        var build = new global::Build();
        var run = BuildRun.Of(build, _root.Path, null, "--help", "--no-logo");
        Assert.Equal(0, run.ExitCode);
        return build;
    }

    [Fact]
    public void Committed_schema_is_up_to_date()
    {
        var build = LoadedBuild();
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot.Path, SchemaGenerator.RelativePath));
        var generated = SchemaGenerator.Generate(build, build.Parameters);
        Assert.True(committed == generated,
            $"{SchemaGenerator.RelativePath} is stale: run ./build.sh --help locally to regenerate it.\n{Approvals.Diff(committed, generated)}");
    }

    [Fact]
    public void Schema_lists_targets_and_parameters_with_types()
    {
        var build = LoadedBuild();
        var schema = System.Text.Json.JsonDocument.Parse(SchemaGenerator.Generate(build, build.Parameters)).RootElement;
        Assert.Equal("http://json-schema.org/draft-04/schema#", schema.GetProperty("$schema").GetString());
        var properties = schema.GetProperty("definitions").GetProperty("build").GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("Stack").GetProperty("type").GetString());
        Assert.Equal("boolean", properties.GetProperty("Yes").GetProperty("type").GetString());
        var targets = properties.GetProperty("Target").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("Deploy", targets);
        Assert.Contains("FinalSnapshot", targets);
    }

    [Fact]
    public void Schema_is_written_into_the_root_on_a_local_run()
    {
        BuildRun.Of(new global::Build(), _root.Path, null, "--help");
        Assert.True(File.Exists(_root.Combine(".nuke", "build.schema.json")));
        var ci = new TempDirectory();
        BuildRun.Of(new global::Build(), ci.Path, new Dictionary<string, string> { ["CI"] = "true" }, "--help");
        Assert.False(File.Exists(ci.Combine(".nuke", "build.schema.json")));
        ci.Dispose();
    }

    [Fact]
    public void Every_committed_workflow_is_what_the_build_generates()
    {
        var build = LoadedBuild();
        var declared = WorkflowGenerator.Declared(build);
        Assert.Contains(declared, w => w.Name == "ci");
        foreach (var workflow in declared)
        {
            var path = Path.Combine(RepositoryRoot.Path, WorkflowGenerator.RelativePath(workflow));
            Assert.True(File.Exists(path), $"{WorkflowGenerator.RelativePath(workflow)} is missing: run ./build.sh GenerateWorkflows.");
            var committed = File.ReadAllText(path);
            var generated = WorkflowGenerator.Generate(build, workflow);
            Assert.True(committed == generated,
                $"{WorkflowGenerator.RelativePath(workflow)} is stale: run ./build.sh GenerateWorkflows.\n{Approvals.Diff(committed, generated)}");
        }
        var onDisk = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, ".github", "workflows"), "*.yml").Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(declared.Select(w => w.Name).Order(), onDisk.Order());
    }

    [Fact]
    public void Ci_workflow_runs_the_test_target_on_push_and_pull_request()
    {
        var build = LoadedBuild();
        var yaml = WorkflowGenerator.Generate(build, WorkflowGenerator.Declared(build).Single(w => w.Name == "ci"));
        var document = new YamlDotNet.RepresentationModel.YamlStream();
        document.Load(new StringReader(yaml));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)document.Documents[0].RootNode;
        var on = (YamlDotNet.RepresentationModel.YamlMappingNode)root["on"];
        Assert.Contains(on.Children.Keys, k => k.ToString() == "push");
        Assert.Contains(on.Children.Keys, k => k.ToString() == "pull_request");
        Assert.Contains("run: ./build.sh Test", yaml);
        Assert.Contains("global-json-file: global.json", yaml);
    }
}
