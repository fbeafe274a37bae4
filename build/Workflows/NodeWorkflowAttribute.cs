using BuildEngine.GitHubActions;

/// <summary>
/// A workflow whose build needs Node.js but no AWS (ci.yml: the infra suite and the bats suites' s3rver run on Node):
/// it sets up the same supported Node.js LTS as the stack workflows before the build runs.
/// </summary>
public class NodeWorkflowAttribute(string name) : GitHubActionsAttribute(name, GitHubActionsImage.UbuntuLatest)
{
    public override IEnumerable<WorkflowStep> GetSetupSteps()
    {
        yield return WorkflowActions.SetupNodeStep("Set up Node.js (infra/, tests/)");
    }
}
