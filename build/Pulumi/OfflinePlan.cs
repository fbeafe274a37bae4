using BuildEngine;

/// <summary>
/// The offline plan (docs/contracts.md): <c>npm run plan</c> in infra/ runs the program under Pulumi mocks
/// for a stack config file and writes resources.json and user-data.yaml; then cloud-init checks the user-data.
/// No pulumi CLI, no AWS credentials.
/// </summary>
public sealed class OfflinePlan(string infraDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
{
    /// <summary>
    /// infra/Pulumi.&lt;stack&gt;.yaml when it exists, else an example for that stack name (infra/Pulumi.&lt;stack&gt;.example.yaml,
    /// e.g. Pulumi.dr.example.yaml for --stack dr), else infra/Pulumi.example.yaml.
    /// </summary>
    public string ConfigFile(string stack)
    {
        var own = Path.Combine(infraDirectory, $"Pulumi.{stack}.yaml");
        var example = Path.Combine(infraDirectory, $"Pulumi.{stack}.example.yaml");
        return File.Exists(own) ? own : File.Exists(example) ? example : Path.Combine(infraDirectory, "Pulumi.example.yaml");
    }

    /// <summary>Plans <paramref name="configFile"/> when given (Plan --config-file), else <see cref="ConfigFile"/>.</summary>
    public async Task RunAsync(string stack, string outputDirectory, string? configFile = null)
    {
        var config = configFile ?? ConfigFile(stack);
        if (configFile is not null && !File.Exists(configFile))
            throw new BuildException($"No stack config to plan: --config-file {configFile} does not exist.");
        if (!File.Exists(config))
            throw new BuildException($"No stack config to plan: neither infra/Pulumi.{stack}.yaml, infra/Pulumi.{stack}.example.yaml nor infra/Pulumi.example.yaml exists.");
        Log.Information($"Planning stack {stack} offline from {(configFile is null ? $"infra/{Path.GetFileName(config)}" : config)} (Pulumi mocks: no AWS, no pulumi CLI).");

        await NpmDependencies.EnsureAsync(infraDirectory, environment, cancellationToken);
        Directory.CreateDirectory(outputDirectory);
        foreach (var file in PlanFiles(outputDirectory)) File.Delete(file);
        var (exitCode, _) = await ProcessRunner.RunAsync("npm",
            ["run", "plan", "--", "--config", config, "--stack", stack, "--out", outputDirectory],
            infraDirectory, environment, cancellationToken);
        if (exitCode != 0)
            throw new BuildException($"The offline plan failed (npm run plan exited {exitCode}); the reason is above.");
        if (PlanFiles(outputDirectory).FirstOrDefault(f => !File.Exists(f)) is { } missing)
            throw new BuildException($"npm run plan succeeded but wrote no {Path.GetFileName(missing)}; the infra/ plan script does not follow docs/contracts.md.");

        await ValidateUserDataAsync(Path.Combine(outputDirectory, "user-data.yaml"));
    }

    static string[] PlanFiles(string directory) => [Path.Combine(directory, "resources.json"), Path.Combine(directory, "user-data.yaml")];

    async Task ValidateUserDataAsync(string userData)
    {
        var cloudInit = ProcessRunner.Find("cloud-init", environment);
        if (cloudInit is null)
        {
            Log.Warning("cloud-init is not installed, so user-data.yaml was not checked against the cloud-config schema " +
                        "(install it, e.g. apt-get install cloud-init, to have Plan check it).");
            return;
        }
        var (exitCode, output) = await ProcessRunner.RunAsync(cloudInit, ["schema", "--config-file", userData],
            Path.GetDirectoryName(userData)!, environment, cancellationToken, echo: false);
        if (exitCode != 0)
        {
            foreach (var line in output) Log.Error(line);
            throw new BuildException($"{Path.GetFileName(userData)} is not a valid cloud-config: `cloud-init schema --config-file` says so above.");
        }
        Log.Information($"cloud-init schema --config-file: {Path.GetFileName(userData)} is a valid cloud-config.");
    }
}
