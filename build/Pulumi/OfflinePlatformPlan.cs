using BuildEngine;

/// <summary>
/// The platform's offline plan: <c>npm run platform-plan</c> in infra/ runs infra/platform under Pulumi mocks and writes
/// resources.json and the roles' trust and policies, and the operator policy. No pulumi CLI, no AWS credentials.
/// </summary>
public sealed class OfflinePlatformPlan(string infraDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
{
    public const string OperatorPolicyFile = "operator-policy.json";

    /// <summary>infra/platform/Pulumi.&lt;stack&gt;.yaml when it exists, else infra/platform/Pulumi.example.yaml.</summary>
    public string ConfigFile(string stack)
    {
        var own = Path.Combine(infraDirectory, "platform", $"Pulumi.{stack}.yaml");
        return File.Exists(own) ? own : Path.Combine(infraDirectory, "platform", "Pulumi.example.yaml");
    }

    public async Task RunAsync(string stack, string outputDirectory, string iamDirectory)
    {
        var config = ConfigFile(stack);
        if (!File.Exists(config))
            throw new BuildException($"No platform config to plan: neither infra/platform/Pulumi.{stack}.yaml nor infra/platform/Pulumi.example.yaml exists.");
        Log.Information($"Planning the platform {stack} offline from infra/platform/{Path.GetFileName(config)} (Pulumi mocks: no AWS, no pulumi CLI).");

        await NpmDependencies.EnsureAsync(infraDirectory, environment, cancellationToken);
        Directory.CreateDirectory(outputDirectory);
        foreach (var file in Directory.GetFiles(outputDirectory, "*.json")) File.Delete(file);
        Directory.CreateDirectory(iamDirectory);
        File.Delete(Path.Combine(iamDirectory, OperatorPolicyFile));
        var (exitCode, _) = await ProcessRunner.RunAsync("npm",
            ["run", "--silent", "platform-plan", "--", "--config", config, "--stack", stack, "--out", outputDirectory, "--iam-out", iamDirectory],
            infraDirectory, environment, cancellationToken);
        if (exitCode != 0)
            throw new BuildException($"The platform's offline plan failed (npm run platform-plan exited {exitCode}); the reason is above.");
        if (!File.Exists(Path.Combine(iamDirectory, OperatorPolicyFile)))
            throw new BuildException($"npm run platform-plan succeeded but wrote no {OperatorPolicyFile}; infra/scripts/platform-plan.ts is broken.");
    }
}
