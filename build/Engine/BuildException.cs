namespace BuildEngine;

/// <summary>A failure the operator can act on: printed as one sentence, no stack trace, exit code 1.</summary>
public class BuildException(string message) : Exception(message);

/// <summary>The command line itself is wrong (unknown target or parameter, bad value): exit code 2.</summary>
public sealed class UsageException(string message) : BuildException(message);
