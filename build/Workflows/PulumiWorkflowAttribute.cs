using BuildEngine.GitHubActions;

/// <summary>
/// A workflow that drives the stack: before the build runs it sets up Node.js (infra/ is a Node program),
/// AWS credentials by OIDC (role in the AWS_ROLE_ARN variable) and the Pulumi CLI.
/// Secrets and variables: docs/workflows.md.
/// </summary>
public class PulumiWorkflowAttribute : GitHubActionsAttribute
{
    public PulumiWorkflowAttribute(string name) : base(name, GitHubActionsImage.UbuntuLatest)
    {
        WritePermissions = [GitHubActionsPermission.IdToken];
        ImportSecrets = ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"];
        ImportVariables = ["PULUMI_BACKEND_URL"];
        CacheKeyFiles = ["global.json", "build/**/*.csproj", "infra/package-lock.json"];
        CacheIncludePatterns = [".nuke/temp", "~/.nuget/packages", "~/.npm"];
    }

    /// <summary>Stops the job first unless the ConfirmStack input equals the Stack input, then answers yes for the build.</summary>
    public bool RequireTypedStackName { get; set; }

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
        yield return new WorkflowStep("Set up Node.js (infra/)") { Uses = "actions/setup-node@v4", With = [new("node-version", "20")] };
        yield return new WorkflowStep("AWS credentials (OIDC)")
        {
            Uses = "aws-actions/configure-aws-credentials@v4",
            With = [new("role-to-assume", "${{ vars.AWS_ROLE_ARN }}"), new("aws-region", "${{ vars.AWS_REGION }}")],
        };
        yield return new WorkflowStep("Install the Pulumi CLI") { Uses = "pulumi/actions@v6" };
    }
}
