using BuildEngine.GitHubActions;

/// <summary>The actions the stack workflows add to every job's core steps, pinned by commit (see <see cref="ActionPin"/>).</summary>
public static class WorkflowActions
{
    public static readonly ActionPin SetupNode = new("actions/setup-node", "v7.0.0", "820762786026740c76f36085b0efc47a31fe5020");
    public static readonly ActionPin ConfigureAwsCredentials = new("aws-actions/configure-aws-credentials", "v6.2.3", "e6de054238d6b7531b4efff3b6587d9aade6a06c");
    public static readonly ActionPin InstallPulumi = new("pulumi/actions", "v7.0.0", "8e5e406f4007fca908480587cb9893c07090f58d");

    /// <summary>An LTS release GitHub runners keep supported (Node 20 reached its end of life in April 2026); infra/ itself runs on 20 and newer.</summary>
    public const string NodeVersion = "24";

    /// <summary>actions/setup-node with <see cref="NodeVersion"/>: every generated workflow's Node.js.</summary>
    public static WorkflowStep SetupNodeStep(string name) => SetupNode.Step(name) with { With = [new("node-version", NodeVersion)] };
}
