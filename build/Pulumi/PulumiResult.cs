/// <summary>What one pulumi command did: its arguments, exit code and output.</summary>
public sealed record PulumiResult(IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
    public string Command => Arguments.Count > 0 ? Arguments[0] : "";
    public string Output => StandardOutput + StandardError;

    /// <summary>The engine's "error: ..." lines (and AWS's "* ..." detail lines), the part worth repeating in a failure.</summary>
    public IReadOnlyList<string> ErrorLines => Output.Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.StartsWith("error:", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
        .Distinct()
        .ToList();
}
