namespace BuildEngine;

/// <summary>The options every build understands besides its parameters: what --help lists and what the runner accepts.</summary>
public static class BuiltInOptions
{
    public static readonly (string Name, string Description, string? Accepted, OptionArity Arity)[] All =
    [
        ("help", "Shows this help: every target (runbook step) and parameter.", null, OptionArity.Switch),
        ("plan", "Shows the execution plan of the given targets without running them; writes .nuke/temp/execution-plan.md and .html.", null, OptionArity.Switch),
        ("skip", "Targets to skip (space separated); a bare --skip skips everything the invoked targets depend on.", "<target[]>", OptionArity.Many),
        ("target", "Targets to run (same as naming them first on the command line).", "<target[]>", OptionArity.Many),
        ("profile", "Also reads .nuke/parameters.<profile>.json (stronger than .nuke/parameters.json).", "<text[]>", OptionArity.Many),
        ("verbosity", "How much to log.", "<Quiet|Minimal|Normal|Verbose>", OptionArity.Single),
        ("output", "How list steps print their result: Text (tables) or Json (one JSON document on stdout; logs go to stderr).", "<Text|Json>", OptionArity.Single),
        ("no-logo", "Does not print the logo.", null, OptionArity.Switch),
        ("root", "Root folder of the repository (default: the nearest folder holding .nuke/).", "<path>", OptionArity.Single),
    ];

    /// <summary>The kebab-case names, without dashes.</summary>
    public static IEnumerable<string> Names => All.Select(o => o.Name);
}
