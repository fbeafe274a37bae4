namespace BuildEngine.GitHubActions;

public enum GitHubActionsImage { UbuntuLatest, Ubuntu2404, Ubuntu2204, WindowsLatest, MacOsLatest }

public enum GitHubActionsTrigger { Push, PullRequest, WorkflowDispatch }

public enum GitHubActionsPermission { Actions, Checks, Contents, Deployments, IdToken, Issues, PullRequests, Statuses }

/// <summary>
/// Declares a workflow written to .github/workflows/&lt;name&gt;.yml by <see cref="WorkflowGenerator"/>, as NUKE's attribute does.
/// Derive from it and override <see cref="GetSetupSteps"/> to add steps before the build runs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public class GitHubActionsAttribute(string name, params GitHubActionsImage[] images) : Attribute
{
    public string Name { get; } = name;
    public GitHubActionsImage[] Images { get; } = images.Length > 0 ? images : [GitHubActionsImage.UbuntuLatest];

    public GitHubActionsTrigger[] On { get; set; } = [];
    public string[] OnPushBranches { get; set; } = [];
    public string[] OnPullRequestBranches { get; set; } = [];

    /// <summary>Parameters asked for when the workflow is started by hand; passed to the build as environment variables.</summary>
    public string[] OnWorkflowDispatchRequiredInputs { get; set; } = [];
    public string[] OnWorkflowDispatchOptionalInputs { get; set; } = [];
    public string? OnCronSchedule { get; set; }

    public string[] InvokedTargets { get; set; } = [];

    /// <summary>Repository secrets passed to the build as environment variables of the same name.</summary>
    public string[] ImportSecrets { get; set; } = [];

    /// <summary>Repository variables passed to the build as environment variables of the same name.</summary>
    public string[] ImportVariables { get; set; } = [];

    public GitHubActionsPermission[] WritePermissions { get; set; } = [];
    public GitHubActionsPermission[] ReadPermissions { get; set; } = [GitHubActionsPermission.Contents];

    public string[] CacheKeyFiles { get; set; } = ["global.json", "build/**/*.csproj"];
    public string[] CacheIncludePatterns { get; set; } = [".nuke/temp", "~/.nuget/packages"];

    /// <summary>A GitHub environment (protection rules, approvals) the job runs in.</summary>
    public string? Environment { get; set; }
    public string? ConcurrencyGroup { get; set; }
    public int TimeoutMinutes { get; set; } = 60;

    public virtual IEnumerable<WorkflowStep> GetSetupSteps() => [];
}

/// <summary>One step of a job: either <c>uses</c> an action (pinned by commit: <see cref="ActionPin"/>) or <c>run</c>s a command.</summary>
public sealed record WorkflowStep(string Name)
{
    public string? Uses { get; init; }
    /// <summary>The release a pinned <see cref="Uses"/> commit is, written beside it as a comment.</summary>
    public string? UsesVersion { get; init; }
    public string? Run { get; init; }
    public string? If { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> With { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];
}
