namespace BuildEngine;

/// <summary>
/// A failure the operator can act on: printed as one sentence, no stack trace; the run exits with <paramref name="exitCode"/>
/// (1 unless a target passes on the exit code of a command it ran for the operator).
/// </summary>
public class BuildException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The command line itself is wrong (unknown target or parameter, bad value): exit code 2.</summary>
public sealed class UsageException(string message) : BuildException(message, 2);
