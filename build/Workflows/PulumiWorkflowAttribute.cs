using BuildEngine.GitHubActions;

/// <summary>Which of the platform's roles (docs/platform.md) a workflow assumes.</summary>
public enum AwsRole
{
    /// <summary>Read-only, trusted only for pull_request runs: repository variable AWS_PREVIEW_ROLE_ARN.</summary>
    Preview,

    /// <summary>Trusted only for jobs in the deploy environment: repository variable AWS_DEPLOY_ROLE_ARN.</summary>
    Deploy,
}

/// <summary>
/// A workflow that drives the stack: before the build runs it sets up Node.js (infra/ is a Node program),
/// AWS credentials by OIDC (the platform's preview or deploy role) and the Pulumi CLI.
/// Secrets and variables: docs/workflows.md, the roles: docs/platform.md.
/// </summary>
public class PulumiWorkflowAttribute : GitHubActionsAttribute
{
    /// <summary>The GitHub environment the deploy role trusts (infra/src/platform/config.ts DEFAULT_GITHUB_ENVIRONMENT; a test checks they agree).</summary>
    public const string DeployEnvironment = "production";

    /// <summary>Seconds of the deploy role's session: a destroy may wait 90 minutes for the final snapshot (the platform allows 2 hours).</summary>
    public const int DeploySessionSeconds = 7200;

    public PulumiWorkflowAttribute(string name, AwsRole role) : base(name, GitHubActionsImage.UbuntuLatest)
    {
        Role = role;
        WritePermissions = [GitHubActionsPermission.IdToken];
        // Pull-request code runs in preview.yml (anyone who can push a branch): it gets no secret. A Pulumi Cloud token
        // could rewrite any stack's state and decrypt its secrets, the passphrase decrypts them too. Preview there needs
        // a backend the preview role itself reads: the platform's state bucket and awskms:// key (docs/workflows.md).
        ImportSecrets = role == AwsRole.Deploy ? ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"] : [];
        ImportVariables = ["PULUMI_BACKEND_URL"];
        CacheKeyFiles = ["global.json", "build/**/*.csproj", "infra/package-lock.json"];
        CacheIncludePatterns = [".nuke/temp", "~/.nuget/packages", "~/.npm"];
        if (role == AwsRole.Deploy) Environment = DeployEnvironment;
    }

    public AwsRole Role { get; }

    /// <summary>Stops the job first unless the ConfirmStack input equals the Stack input, then answers yes for the build.</summary>
    public bool RequireTypedStackName { get; set; }

    public string RoleVariable => Role == AwsRole.Deploy ? "AWS_DEPLOY_ROLE_ARN" : "AWS_PREVIEW_ROLE_ARN";

    public override IEnumerable<WorkflowStep> GetSetupSteps()
    {
        if (RequireTypedStackName)
            yield return new WorkflowStep("Check the typed stack name")
            {
                Run = """
                      if [ "$CONFIRM_STACK" != "$STACK" ]; then
                        echo "::error::The typed stack name '$CONFIRM_STACK' is not '$STACK'; nothing was snapshotted or destroyed."
                        exit 1
                      fi
                      echo "YES=true" >> "$GITHUB_ENV"
                      """,
                Env = [new("STACK", "${{ github.event.inputs.Stack }}"), new("CONFIRM_STACK", "${{ github.event.inputs.ConfirmStack }}")],
            };
        yield return WorkflowActions.SetupNodeStep("Set up Node.js (infra/)");
        List<KeyValuePair<string, string>> credentials =
            [new("role-to-assume", $"${{{{ vars.{RoleVariable} }}}}"), new("aws-region", "${{ vars.AWS_REGION }}")];
        if (Role == AwsRole.Deploy) credentials.Add(new("role-duration-seconds", DeploySessionSeconds.ToString()));
        yield return WorkflowActions.ConfigureAwsCredentials.Step($"AWS credentials (OIDC, {Role.ToString().ToLowerInvariant()} role)") with { With = credentials };
        yield return WorkflowActions.InstallPulumi.Step("Install the Pulumi CLI");
    }
}
