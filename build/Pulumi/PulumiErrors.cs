using System.Text.RegularExpressions;
using BuildEngine;

/// <summary>Turns the engine's error text into one sentence the operator can act on.</summary>
public static partial class PulumiErrors
{
    /// <summary>AWS refused to attach the data volume because an old attachment still holds it (design notes, troubleshooting).</summary>
    public static bool IsVolumeInUse(PulumiResult result) =>
        !result.Succeeded && result.Output.Contains("VolumeInUse", StringComparison.Ordinal);

    public static bool IsMissingStack(PulumiResult result) =>
        !result.Succeeded && result.Output.Contains("no stack named", StringComparison.Ordinal);

    public static BuildException Explain(PulumiResult result, string stack)
    {
        var output = result.Output;
        if (IsMissingStack(result))
            return new BuildException($"Stack '{stack}' does not exist in the Pulumi backend: deploy it first (./build.sh Deploy --stack {stack}), or check --pulumi-backend / PULUMI_BACKEND_URL.");
        if (output.Contains("PULUMI_ACCESS_TOKEN must be set", StringComparison.Ordinal))
            return new BuildException("pulumi is not logged in: set PULUMI_ACCESS_TOKEN, run `pulumi login`, or pass --pulumi-backend file://~/.pulumi-state (or s3://bucket/prefix).");
        if (output.Contains("PULUMI_CONFIG_PASSPHRASE", StringComparison.Ordinal))
            return new BuildException("The stack's secrets are encrypted with a passphrase: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) and run again.");
        return new BuildException($"pulumi {result.Command} failed with exit code {result.ExitCode}: {Detail(result).TrimEnd('.', ':')}.");
    }

    /// <summary>AWS's own words ("* ... api error X: ...") when there are any, else the first specific engine error.</summary>
    static string Detail(PulumiResult result)
    {
        var lines = result.ErrorLines;
        var detail = lines.FirstOrDefault(line => line.StartsWith("* ", StringComparison.Ordinal))
                     ?? lines.FirstOrDefault(line => !GenericError().IsMatch(line))
                     ?? result.Output.Split('\n').Select(line => line.Trim()).LastOrDefault(line => line.Length > 0)
                     ?? "no output";
        return detail.StartsWith("* ", StringComparison.Ordinal) ? detail[2..] : detail.StartsWith("error: ", StringComparison.Ordinal) ? detail[7..].Trim() : detail;
    }

    [GeneratedRegex(@"^error: (update failed|preview failed|refresh failed|destroy failed|\d+ errors? occurred:?)$")]
    private static partial Regex GenericError();
}
