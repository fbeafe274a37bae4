using System.Text.RegularExpressions;
using BuildEngine;

/// <summary>
/// Pulumi's own rule for a stack name (pulumi/pkg/backend: <c>^[A-Za-z0-9_.-]{1,100}$</c>), checked once for --stack
/// before any target runs and again by <see cref="PulumiStack"/>, so an empty or invalid name never reaches the pulumi CLI
/// (which may fall back to the selected stack) nor a tag. Qualified names (org/project/stack) are not accepted: the name
/// is also the OpenClawStack tag and the S3 prefix, which hold the stack's own name.
/// </summary>
public static partial class StackName
{
    public const string Pattern = "[A-Za-z0-9_.-]{1,100}";

    public const string Accepted = "a Pulumi stack name: 1 to 100 letters, digits, '-', '_' or '.' (no org/ prefix: choose the org with `pulumi org set-default`)";

    /// <summary>
    /// The name itself when valid (parameters carry [Matches(StackName.Pattern, StackName.Accepted)] too);
    /// <paramref name="option"/> is the parameter the name came from, for the error (--stack, --platform-stack).
    /// </summary>
    public static string Require(string? name, string option = "--stack") =>
        name is not null && StackNamePattern().IsMatch(name)
            ? name
            : throw new BuildException($"Stack name '{name}' is not {Accepted}; pass a valid {option}.");

    [GeneratedRegex($@"^{Pattern}\z")]
    private static partial Regex StackNamePattern();
}
