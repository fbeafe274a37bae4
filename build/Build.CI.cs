using BuildEngine;
using BuildEngine.GitHubActions;

partial class Build
{
    Target GenerateWorkflows => _ => _
        .Description("Writes .github/workflows/*.yml from the [GitHubActions] declarations (a test fails when they are stale).")
        .Executes(() =>
        {
            foreach (var path in WorkflowGenerator.WriteAll(this))
                Log.Information($"Wrote {Path.GetRelativePath(RootDirectory, path)}");
        });
}
