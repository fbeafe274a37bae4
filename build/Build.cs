using BuildEngine;
using BuildEngine.GitHubActions;

/// <summary>
/// The runbook for OpenClaw on one EC2 Spot instance. Targets live in Build.&lt;Area&gt;.cs, one area a file;
/// the engine (build/Engine) knows nothing of AWS, Pulumi or OpenClaw.
/// </summary>
[NodeWorkflow("ci",
    On = [GitHubActionsTrigger.Push, GitHubActionsTrigger.PullRequest],
    OnPushBranches = ["main"],
    InvokedTargets = [nameof(Test)],
    CacheKeyFiles = ["global.json", "build/**/*.csproj", "tests/**/*.csproj", "infra/package-lock.json", "tests/cloud-init/package-lock.json"],
    CacheIncludePatterns = [".nuke/temp", "~/.nuget/packages", "~/.npm"])]
partial class Build : NukeBuild
{
    public static int Main() => Execute<Build>(x => x.Help);

    /// <summary>The order of the areas (Build.&lt;Area&gt;.cs) in --help; a new area file appears after these without being listed.</summary>
    protected override IReadOnlyList<string> AreaOrder => ["Build", "Discover", "Lifecycle", "Operate", "Snapshots", "Volumes", "Move", "Troubleshoot", "Observe", "Platform", "Test", "CI"];

    /// <summary>OpenClaw passes the words after -- to the openclaw CLI; after any other target they are an error.</summary>
    protected override IReadOnlyList<string> TargetsTakingPassedArguments => [nameof(OpenClaw)];

    protected override string Logo => "OpenClaw on EC2 Spot: runbook (./build.sh --help lists every step)";

    [Parameter("Pulumi stack name; also the OpenClawStack tag on the data volume and its snapshots.")]
    [Matches(StackName.Pattern, StackName.Accepted)]
    readonly string Stack = "dev";

    [Parameter("AWS region. Default: the region the stack was deployed in (for steps on its resources), then AWS_REGION, then the stack's aws:region. Move: the region to move to.")]
    [Matches(AwsEnvironment.RegionPattern, "an AWS region like eu-central-1")]
    readonly string? Region;

    [Parameter("Answers yes to confirmations (Destroy, CleanupSnapshots, DeleteRetainedVolume, Move, a Deploy that starts blank beside snapshots); needed when there is no terminal.")]
    readonly bool Yes;

    Target Help => _ => _
        .Description("Shows every runbook step and parameter (same as --help).")
        .Executes(ShowHelp);

    string InfraDirectory => Path.Combine(RootDirectory, "infra");
    string ArtifactsDirectory => Path.Combine(RootDirectory, "artifacts");
}
