using BuildEngine.GitHubActions;

/// <summary>The lifecycle workflows (written by GenerateWorkflows); what each needs is in docs/workflows.md.</summary>
[PulumiWorkflow("preview",
    On = [GitHubActionsTrigger.PullRequest],
    InvokedTargets = [nameof(Preview)],
    TimeoutMinutes = 30)]
[PulumiWorkflow("deploy",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    OnWorkflowDispatchRequiredInputs = [nameof(Stack)],
    OnWorkflowDispatchOptionalInputs = [nameof(InstanceType)],
    InvokedTargets = [nameof(Deploy)],
    ConcurrencyGroup = "stack-${{ github.event.inputs.Stack }}")]
[PulumiWorkflow("destroy",
    On = [GitHubActionsTrigger.WorkflowDispatch],
    OnWorkflowDispatchRequiredInputs = [nameof(Stack), nameof(ConfirmStack)],
    InvokedTargets = [nameof(FinalSnapshot), nameof(Destroy)],
    RequireTypedStackName = true,
    ConcurrencyGroup = "stack-${{ github.event.inputs.Stack }}",
    TimeoutMinutes = 90)]
partial class Build;
