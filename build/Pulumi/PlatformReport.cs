using Spectre.Console;

/// <summary>What PlatformOutputs prints: the platform's outputs, then exactly what to set in the GitHub repository.</summary>
public static class PlatformReport
{
    /// <summary>Repository variables the generated workflows read, from the platform output that holds each.</summary>
    public static readonly IReadOnlyList<(string Variable, string Output)> Variables =
    [
        ("AWS_PREVIEW_ROLE_ARN", "preview_role_arn"),
        ("AWS_DEPLOY_ROLE_ARN", "deploy_role_arn"),
        ("AWS_REGION", "region"),
        ("PULUMI_BACKEND_URL", "pulumi_backend_url"),
    ];

    public static void Write(IAnsiConsole console, IReadOnlyDictionary<string, string> outputs)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("Output", "Value");
        foreach (var (key, value) in outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        console.Write(table);

        var repository = outputs.GetValueOrDefault("github_repo") ?? "<owner>/<repo>";
        var writer = console.Profile.Out.Writer;
        writer.WriteLine($"Repository variables for {repository} (Settings > Secrets and variables > Actions > Variables), e.g. with the GitHub CLI:");
        foreach (var (variable, output) in Variables)
            if (outputs.GetValueOrDefault(output) is { Length: > 0 } value)
                writer.WriteLine($"  gh variable set {variable} --repo {repository} --body '{value}'");
        if (outputs.GetValueOrDefault("github_environment") is { Length: > 0 } environment)
        {
            writer.WriteLine($"Create the GitHub environment '{environment}' (Settings > Environments): deploy.yml and destroy.yml run in it, and only it may assume the deploy role. Set all three:");
            writer.WriteLine("  - Required reviewers (one or more people who approve each deploy and destroy run)");
            writer.WriteLine("  - Prevent self-review (whoever starts a run cannot approve it)");
            writer.WriteLine("  - Deployment branches and tags: Selected branches, only main (a run from any other branch cannot enter the environment)");
        }
        if (outputs.GetValueOrDefault("secrets_provider") is { Length: > 0 } secrets)
            writer.WriteLine($"New stacks in that backend: pulumi stack init <stack> --secrets-provider '{secrets}' (existing ones: pulumi stack change-secrets-provider '{secrets}').");
    }
}
