namespace BuildEngine;

/// <summary>How many words an option takes after it.</summary>
public enum OptionArity
{
    /// <summary>None (<c>--plan</c>), or one true/false word for a bool parameter (<c>--yes false</c>).</summary>
    Switch,
    /// <summary>Exactly one word; later words are targets again.</summary>
    Single,
    /// <summary>Every word up to the next option (space separated lists).</summary>
    Many,
}

/// <summary>
/// The command line split into targets and <c>--options</c> with their values. Each option takes the words its
/// <see cref="OptionArity"/> allows; every other word is a target, in any position (<c>--plan Deploy</c>).
/// A word is an option when it starts with a dash and a letter, unless an option still waits for its value:
/// then a dash word that names no option is that value (<c>--older-than -5d</c> reaches --older-than's check).
/// Words after a bare <c>--</c> are passed on verbatim to what a target runs (<c>./build.sh OpenClaw -- devices list</c>).
/// </summary>
public sealed class CommandLine
{
    readonly Dictionary<string, (string Spelling, List<string> Values)> _options = new();

    public List<string> PositionalTargets { get; } = [];

    /// <summary>The words after <c>--</c>, as typed.</summary>
    public List<string> Passed { get; } = [];

    /// <param name="arityOf">The arity of an option by its normalized name; null for an unknown option (rejected later; it takes list-like words).</param>
    public static CommandLine Parse(IEnumerable<string> args, Func<string, OptionArity?> arityOf)
    {
        var result = new CommandLine();
        List<string>? current = null;
        var arity = OptionArity.Many;
        var passing = false;
        foreach (var arg in args)
        {
            var awaitingValue = current is { Count: 0 } && arity == OptionArity.Single;
            if (passing) result.Passed.Add(arg);
            else if (arg == "--") passing = true;
            else if (LooksLikeOption(arg) && !(awaitingValue && arityOf(Key(arg)) is null))
            {
                var spelling = arg.TrimStart('-');
                string? inline = null;
                if (spelling.IndexOf('=') is var eq and > 0) { inline = spelling[(eq + 1)..]; spelling = spelling[..eq]; }
                if (arg is "-h" or "-?") spelling = "help";
                var key = ParameterMember.Normalize(spelling);
                if (!result._options.TryGetValue(key, out var entry))
                    result._options[key] = entry = ("--" + spelling, []);
                current = entry.Values;
                arity = arityOf(key) ?? OptionArity.Many;
                if (inline is not null)
                {
                    current.Add(inline);
                    if (arity != OptionArity.Many) current = null;
                }
            }
            else if (current is not null && Takes(arity, current, arg))
            {
                current.Add(arg);
                if (arity != OptionArity.Many) current = null;
            }
            else
            {
                current = null;
                result.PositionalTargets.Add(arg);
            }
        }
        return result;
    }

    static bool Takes(OptionArity arity, List<string> values, string word) => arity switch
    {
        OptionArity.Many => true,
        OptionArity.Single => values.Count == 0,
        _ => values.Count == 0 && IsBoolWord(word),
    };

    static bool IsBoolWord(string word) =>
        word.Trim().ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "1" or "0";

    /// <summary>Options start with a dash and a letter (<c>-h</c>, <c>-?</c>, <c>--stack</c>); <c>-5d</c> or <c>-</c> are values.</summary>
    static bool LooksLikeOption(string arg)
    {
        if (arg is "-?") return true;
        var name = arg.TrimStart('-');
        return arg.StartsWith('-') && name.Length > 0 && char.IsAsciiLetter(name[0]);
    }

    static string Key(string arg)
    {
        var spelling = arg.TrimStart('-');
        if (spelling.IndexOf('=') is var eq and > 0) spelling = spelling[..eq];
        return ParameterMember.Normalize(arg is "-h" or "-?" ? "help" : spelling);
    }

    public bool Has(string name) => _options.ContainsKey(ParameterMember.Normalize(name));

    public IReadOnlyList<string>? Values(string name) =>
        _options.TryGetValue(ParameterMember.Normalize(name), out var entry) ? entry.Values : null;

    /// <summary>Options as typed by the operator, keyed by their normalized name.</summary>
    public IEnumerable<(string Key, string Spelling)> Options => _options.Select(o => (o.Key, o.Value.Spelling));
}
