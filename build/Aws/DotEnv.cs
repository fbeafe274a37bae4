using System.Text;
using System.Text.RegularExpressions;
using BuildEngine;

/// <summary>One KEY=VALUE line of a dotenv file.</summary>
public sealed record DotEnvEntry(string Key, string Value, int Line);

/// <summary>
/// A dotenv file as the gateway's entrypoint reads it on the instance: KEY=VALUE lines (optionally <c>export KEY=...</c>),
/// blank lines and # comments; one pair of matching ' or " quotes around a value is removed; the rest is taken as it is. Problems are reported by line number
/// and key name only: a line is never echoed, it may hold a secret.
/// </summary>
public sealed partial class DotEnv
{
    DotEnv(string text, IReadOnlyList<DotEnvEntry> entries)
    {
        Text = text;
        Entries = entries;
    }

    /// <summary>The file as stored in the parameter: LF line ends, ending in a newline.</summary>
    public string Text { get; }

    public IReadOnlyList<DotEnvEntry> Entries { get; }

    public int Bytes => Encoding.UTF8.GetByteCount(Text);

    public bool Has(string key) => Entries.Any(e => e.Key == key);

    /// <summary>Either key lets the gateway serve (it refuses to start without one).</summary>
    public bool HasGatewayAuth => Has(SecretsFile.GatewayTokenKey) || Has(SecretsFile.GatewayPasswordKey);

    /// <summary>Parses and validates; every problem found goes into one sentence naming <paramref name="source"/>.</summary>
    public static DotEnv Parse(string text, string source)
    {
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.Length > 0 && !normalized.EndsWith('\n')) normalized += "\n";
        var problems = new List<string>();
        var entries = new List<DotEnvEntry>();
        var lines = normalized.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i];
            if (line.Trim().Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line["export ".Length..];
            var equals = line.IndexOf('=');
            if (equals < 0)
            {
                problems.Add($"line {number} is not KEY=VALUE");
                continue;
            }
            // No spaces around the name: the instance reads the name up to the first = as it is.
            var key = line[..equals];
            if (!KeyPattern().IsMatch(key))
            {
                problems.Add($"line {number} has no valid name before = (letters, digits and _, not starting with a digit, no spaces)");
                continue;
            }
            var raw = line[(equals + 1)..];
            if (raw.Length > 0 && raw[0] is '"' or '\'')
            {
                if (raw.Length < 2 || raw[^1] != raw[0])
                {
                    problems.Add($"{key} (line {number}) opens a {raw[0]} quote that does not close at the end of the line");
                    continue;
                }
                raw = raw[1..^1];
            }
            if (raw.Length == 0)
            {
                problems.Add($"{key} (line {number}) has an empty value");
                continue;
            }
            if (entries.FirstOrDefault(e => e.Key == key) is { } first)
            {
                problems.Add($"{key} is set twice (lines {first.Line} and {number})");
                continue;
            }
            entries.Add(new DotEnvEntry(key, raw, number));
        }
        if (problems.Count == 0 && entries.Count == 0) problems.Add("it has no KEY=VALUE line");
        if (problems.Count > 0)
            throw new BuildException($"{source} is not a valid dotenv file, so nothing was written: {string.Join("; ", problems)}.");
        return new DotEnv(normalized, entries);
    }

    /// <summary>The names in a stored value, read leniently (it may have been written by hand): never the values.</summary>
    public static IReadOnlyList<string> KeyNames(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .Select(l => l[..l.IndexOf('=')].Trim())
            .Select(k => k.StartsWith("export ", StringComparison.Ordinal) ? k["export ".Length..].Trim() : k)
            .Where(k => k.Length > 0).ToList();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex KeyPattern();
}
