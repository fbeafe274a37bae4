using System.Text.RegularExpressions;
using BuildEngine;
using BuildEngine.GitHubActions;
using Runbook.Tests.Harness;
using Xunit;

namespace Runbook.Tests.Engine;

/// <summary>Supply chain of the generated workflows: actions by full commit SHA with the version beside it, no persisted token.</summary>
public partial class WorkflowPinTests : IDisposable
{
    readonly TempDirectory _root = new();
    public void Dispose() => _root.Dispose();

    [Fact]
    public void Every_action_of_every_workflow_is_pinned_by_commit_with_its_version()
    {
        var build = new global::Build();
        Assert.Equal(0, BuildRun.Of(build, _root.Path, null, "--help", "--no-logo").ExitCode);
        foreach (var workflow in WorkflowGenerator.Declared(build))
        {
            var uses = UsesLine().Matches(WorkflowGenerator.Generate(build, workflow)).ToList();
            Assert.NotEmpty(uses);
            Assert.All(uses, line => Assert.True(PinnedLine().IsMatch(line.Value), $"{workflow.Name}.yml: '{line.Value.Trim()}' is not owner/repo@<40 hex> # v<version>"));
        }
    }

    [Fact]
    public void Checkout_does_not_persist_the_token()
    {
        var build = new global::Build();
        Assert.Equal(0, BuildRun.Of(build, _root.Path, null, "--help", "--no-logo").ExitCode);
        foreach (var workflow in WorkflowGenerator.Declared(build))
            Assert.Contains($"uses: {CoreActions.Checkout.Uses} # {CoreActions.Checkout.Version}\n      with:\n        persist-credentials: false\n",
                WorkflowGenerator.Generate(build, workflow));
    }

    [Fact]
    public void An_action_by_tag_is_refused()
    {
        var build = new UnpinnedBuild();
        Assert.Equal(0, BuildRun.Of(build, x => x.Compile, _root.Path, null, "--help", "--no-logo").ExitCode);

        var error = Assert.Throws<BuildException>(() => WorkflowGenerator.Generate(build, WorkflowGenerator.Declared(build).Single()));

        Assert.Contains("uses actions/setup-java@v4 is not pinned", error.Message);
    }

    [GeneratedRegex(@"^\s*uses: .*$", RegexOptions.Multiline)]
    private static partial Regex UsesLine();

    [GeneratedRegex(@"^\s*uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")]
    private static partial Regex PinnedLine();
}

public class UnpinnedStepAttribute() : GitHubActionsAttribute("unpinned")
{
    public override IEnumerable<WorkflowStep> GetSetupSteps() => [new("Java") { Uses = "actions/setup-java@v4" }];
}

[UnpinnedStep(InvokedTargets = [nameof(Compile)])]
public class UnpinnedBuild : NukeBuild
{
    public Target Compile => _ => _.Executes(() => { });
}
