using BuildEngine;

/// <summary>
/// Once per AWS account, before the workflows: the platform project (infra/platform) with the GitHub OIDC roles the
/// workflows assume and an optional Pulumi state backend. Reference: docs/platform.md.
/// </summary>
partial class Build
{
    [Parameter("PlatformDeploy: the GitHub repository (owner/name, as GitHub spells it) whose workflows may assume the roles.")]
    [Matches(GithubRepoPattern, "a GitHub repository as owner/name (e.g. octo-org/openclaw-runbook)")]
    readonly string? GithubRepo;

    [Parameter("PlatformPlan, PlatformDeploy, PlatformOutputs: the platform's Pulumi stack (config in infra/platform/Pulumi.<stack>.yaml).")]
    [Matches(StackName.Pattern, StackName.Accepted)]
    readonly string PlatformStack = "platform";

    Target PlatformPlan => _ => _
        .Description("Offline: runs the platform (GitHub OIDC roles, state backend) under Pulumi mocks; writes artifacts/platform/ and artifacts/iam/operator-policy.json.")
        .Executes(() => new OfflinePlatformPlan(InfraDirectory, Environment, CancellationToken)
            .RunAsync(PlatformStack, Path.Combine(ArtifactsDirectory, "platform"), Path.Combine(ArtifactsDirectory, "iam")));

    Target PlatformDeploy => _ => _
        .Description("Creates or updates the platform in the account: GitHub OIDC provider, preview and deploy roles, optional state backend (pulumi up in infra/platform).")
        .Requires(() => GithubRepo)
        .Executes(async () =>
        {
            await Platform.CreateOrSelectAsync();
            await NpmDependencies.EnsureAsync(InfraDirectory, Environment, CancellationToken);
            await Platform.SetConfigAsync("github_repo", GithubRepo!, cancellationToken: CancellationToken);
            var up = await Platform.UpAsync();
            if (!up.Succeeded) throw PulumiErrors.Explain(up, PlatformStack);
            PlatformReport.Write(Console, await Platform.GetOutputsAsync(CancellationToken));
        });

    Target PlatformOutputs => _ => _
        .Description("Prints the platform's role ARNs and the exact repository variables to set for the workflows.")
        .Executes(async () =>
        {
            await Platform.SelectAsync();
            var outputs = await Platform.GetOutputsAsync(CancellationToken);
            if (outputs.Count == 0)
                throw new BuildException($"The platform stack {PlatformStack} has no outputs yet: run ./build.sh PlatformDeploy --github-repo <owner>/<name> first.");
            PlatformReport.Write(Console, outputs);
        });

    PulumiStack? _platform;

    PulumiStack Platform => _platform ??= new PulumiStack(
        new PulumiCli(Path.Combine(InfraDirectory, "platform"), Environment, PulumiBackend, CancellationToken), PlatformStack, "openclaw-platform", "--platform-stack");

    /// <summary>owner/name as GitHub allows them (checked before anything runs, so a typo deploys nothing).</summary>
    const string GithubRepoPattern = "[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}";
}
