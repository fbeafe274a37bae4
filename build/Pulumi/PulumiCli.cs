using System.Text;
using System.Text.RegularExpressions;
using BuildEngine;
using CliWrap;

/// <summary>
/// Runs the operator's <c>pulumi</c> CLI in infra/, non-interactively, with the build's environment only
/// (what Pulumi's Automation API does: it shells out to the CLI too).
/// </summary>
public sealed partial class PulumiCli(string workingDirectory, IReadOnlyDictionary<string, string> environment, string? backendUrl, CancellationToken buildCancellation)
{
    public static readonly Version MinimumVersion = new(3, 100, 0);
    public const string InstallUrl = "https://www.pulumi.com/docs/install/";

    string? _executable;

    /// <summary>Runs <c>pulumi &lt;arguments&gt;</c>; with <paramref name="live"/> its output is shown as it comes.</summary>
    public async Task<PulumiResult> RunAsync(IReadOnlyList<string> arguments, bool live = false, string? secret = null, CancellationToken cancellationToken = default)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(buildCancellation, cancellationToken);
        _executable ??= await FindCheckedAsync(cancellation.Token);
        return await ExecuteAsync(_executable, arguments, live, secret, cancellation.Token);
    }

    async Task<string> FindCheckedAsync(CancellationToken cancellationToken)
    {
        var executable = Find() ?? throw new BuildException(
            $"The pulumi CLI is not installed (not on PATH): install version {MinimumVersion} or newer from {InstallUrl}, or run ./build.sh Plan, which needs no Pulumi CLI.");
        var result = await ExecuteAsync(executable, ["version"], live: false, secret: null, cancellationToken);
        var match = VersionPattern().Match(result.StandardOutput);
        if (!result.Succeeded || !match.Success)
            throw new BuildException($"`{executable} version` did not print a version (exit code {result.ExitCode}); reinstall pulumi from {InstallUrl}.");
        var version = Version.Parse(match.Groups[1].Value);
        if (version < MinimumVersion)
            throw new BuildException($"pulumi {version} is older than the {MinimumVersion} this runbook needs; upgrade it ({InstallUrl}).");
        Log.Debug($"Using pulumi {version} at {executable}");
        return executable;
    }

    string? Find()
    {
        string[] names = OperatingSystem.IsWindows() ? ["pulumi.exe", "pulumi"] : ["pulumi"];
        var onPath = names.Select(name => ProcessRunner.Find(name, environment)).FirstOrDefault(path => path is not null);
        if (onPath is not null) return onPath;
        // The official installer puts it in ~/.pulumi/bin and only adds that to the PATH of new shells.
        var home = environment.GetValueOrDefault("HOME") ?? environment.GetValueOrDefault("USERPROFILE");
        return home is null ? null : names.Select(name => Path.Combine(home, ".pulumi", "bin", name)).FirstOrDefault(File.Exists);
    }

    async Task<PulumiResult> ExecuteAsync(string executable, IReadOnlyList<string> arguments, bool live, string? secret, CancellationToken cancellationToken)
    {
        var shown = string.Join(" ", arguments.Select(a => secret is not null && a == secret ? "*****" : a));
        if (live) Log.Information($"pulumi {shown}");
        else Log.Debug($"pulumi {shown}");

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var result = await Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(ChildEnvironment())
            .WithStandardOutputPipe(Pipe(stdout, live))
            .WithStandardErrorPipe(Pipe(stderr, live))
            .WithValidation(CommandResultValidation.None)
            // Ctrl+C reaches pulumi itself (same process group) and it cancels an update cleanly;
            // killing it as well would leave the stack with pending operations.
            .ExecuteAsync(live ? CancellationToken.None : cancellationToken);
        return new PulumiResult(arguments, result.ExitCode, stdout.ToString(), stderr.ToString());
    }

    static PipeTarget Pipe(StringBuilder buffer, bool live) => live
        ? PipeTarget.Merge(PipeTarget.ToStringBuilder(buffer), PipeTarget.ToDelegate(line => Log.Information(line)))
        : PipeTarget.ToStringBuilder(buffer);

    /// <summary>Exactly the build's environment (variables only this process has are removed), plus the backend.</summary>
    Dictionary<string, string?> ChildEnvironment()
    {
        var variables = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
            variables.TryAdd(name, null);
        if (!string.IsNullOrWhiteSpace(backendUrl)) variables["PULUMI_BACKEND_URL"] = backendUrl;
        variables["PULUMI_SKIP_UPDATE_CHECK"] = "true";
        return variables;
    }

    [GeneratedRegex(@"v?(\d+\.\d+\.\d+)")]
    private static partial Regex VersionPattern();
}
