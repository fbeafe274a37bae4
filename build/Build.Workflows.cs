using BuildEngine.GitHubActions;

/// <summary>
/// The lifecycle workflows (written by GenerateWorkflows): preview.yml on pull requests with the read-only preview role,
/// deploy.yml and destroy.yml by hand in the deploy environment with the deploy role. What each needs: docs/workflows.md and docs/platform.md.
/// </summary>
[PulumiWorkflow("preview", AwsRole.Preview,
    On = [GitHubActionsTrigger.PullRequest],
    InvokedTargets = [nameof(Preview)],
    TimeoutMinutes = 30)]
[PulumiWorkflow("deploy", AwsRole.Deploy,
    On = [GitHubActionsTrigger.WorkflowDispatch],
    OnWorkflowDispatchRequiredInputs = [nameof(Stack)],
    OnWorkflowDispatchOptionalInputs = [nameof(InstanceType)],
    InvokedTargets = [nameof(Deploy)],
    ConcurrencyGroup = "stack-${{ github.event.inputs.Stack }}")]
[PulumiWorkflow("destroy", AwsRole.Deploy,
    On = [GitHubActionsTrigger.WorkflowDispatch],
    OnWorkflowDispatchRequiredInputs = [nameof(Stack), nameof(ConfirmStack)],
    InvokedTargets = [nameof(FinalSnapshot), nameof(Destroy)],
    RequireTypedStackName = true,
    ConcurrencyGroup = "stack-${{ github.event.inputs.Stack }}",
    TimeoutMinutes = 90)]
partial class Build;
