using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>Every committed workflow passes a real workflow validator (@action-validator/cli, GitHub's schema).</summary>
public class WorkflowLintTests
{
    static readonly string Validator = Path.Combine(RepositoryRoot.Path, "tests", "workflows", "node_modules", "@action-validator", "cli", "cli.mjs");

    public static TheoryData<string> Workflows()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, ".github", "workflows"), "*.yml").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Workflows))]
    public void Workflow_is_valid(string file)
    {
        Assert.True(File.Exists(Validator), "The validator is not installed: run `npm ci` in tests/workflows (./build.sh Test does).");
        var (exitCode, output) = Node(Validator, Path.Combine(RepositoryRoot.Path, ".github", "workflows", file));
        Assert.True(exitCode == 0, $"{file} is not a valid workflow:\n{output}");
    }

    [Fact]
    public void Validator_rejects_a_broken_workflow()
    {
        Assert.True(File.Exists(Validator), "The validator is not installed: run `npm ci` in tests/workflows (./build.sh Test does).");
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yml");
        File.WriteAllText(broken, "name: x\non:\n  push: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n    - run: echo\n");
        try
        {
            Assert.NotEqual(0, Node(Validator, broken).ExitCode);
        }
        finally { File.Delete(broken); }
    }

    static (int ExitCode, string Output) Node(params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
