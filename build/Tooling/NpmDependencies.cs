using BuildEngine;

/// <summary>Runs <c>npm ci</c> in a folder when node_modules is missing or older than package-lock.json.</summary>
public static class NpmDependencies
{
    public static bool AreStale(string directory)
    {
        var lockFile = Path.Combine(directory, "package-lock.json");
        var installed = Path.Combine(directory, "node_modules", ".package-lock.json");
        return !File.Exists(installed) || File.GetLastWriteTimeUtc(lockFile) > File.GetLastWriteTimeUtc(installed);
    }

    public static async Task EnsureAsync(string directory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (!AreStale(directory)) return;
        if (ProcessRunner.Find("npm", environment) is null)
            throw new BuildException("npm is not installed: install Node.js 20 (https://nodejs.org or your package manager) and run again.");
        var why = Directory.Exists(Path.Combine(directory, "node_modules")) ? "package-lock.json changed" : "first run";
        Log.Information($"Installing {Path.GetFileName(directory)}/ dependencies with npm ci ({why}, 10-40 s) ...");
        var (exitCode, _) = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], directory, environment, cancellationToken, echo: false);
        if (exitCode != 0) throw new BuildException($"npm ci failed in {directory}; run it there to see why.");
    }
}
