namespace BuildEngine;

/// <summary>
/// The command line split into positional targets and <c>--options</c> with their values
/// (every word up to the next option belongs to it, so arrays are space separated). Words after a bare <c>--</c> are
/// passed on verbatim to what a target runs (<c>./build.sh OpenClaw -- devices list</c>).
/// </summary>
public sealed class CommandLine
{
    readonly Dictionary<string, (string Spelling, List<string> Values)> _options = new();

    public List<string> PositionalTargets { get; } = [];

    /// <summary>The words after <c>--</c>, as typed.</summary>
    public List<string> Passed { get; } = [];

    public static CommandLine Parse(IEnumerable<string> args)
    {
        var result = new CommandLine();
        List<string>? current = null;
        var passing = false;
        foreach (var arg in args)
        {
            if (passing) result.Passed.Add(arg);
            else if (arg == "--") passing = true;
            else if (arg.StartsWith('-') && arg.Length > 1 && !double.TryParse(arg, out _))
            {
                var spelling = arg.TrimStart('-');
                string? inline = null;
                if (spelling.IndexOf('=') is var eq and > 0) { inline = spelling[(eq + 1)..]; spelling = spelling[..eq]; }
                if (arg is "-h" or "-?") spelling = "help";
                var key = ParameterMember.Normalize(spelling);
                if (!result._options.TryGetValue(key, out var entry))
                    result._options[key] = entry = ("--" + spelling, []);
                current = entry.Values;
                if (inline is not null) current.Add(inline);
            }
            else if (current is null) result.PositionalTargets.Add(arg);
            else current.Add(arg);
        }
        return result;
    }

    public bool Has(string name) => _options.ContainsKey(ParameterMember.Normalize(name));

    public IReadOnlyList<string>? Values(string name) =>
        _options.TryGetValue(ParameterMember.Normalize(name), out var entry) ? entry.Values : null;

    /// <summary>Options as typed by the operator, keyed by their normalized name.</summary>
    public IEnumerable<(string Key, string Spelling)> Options => _options.Select(o => (o.Key, o.Value.Spelling));
}
