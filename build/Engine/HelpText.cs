using Spectre.Console;

namespace BuildEngine;

/// <summary>--help in NUKE's layout: targets with direct dependencies and descriptions, then parameters.</summary>
internal static class HelpText
{
    const int NameColumn = 26;
    const int Width = 110;

    public static void Write(NukeBuild build, IReadOnlyList<ParameterMember> parameters, IAnsiConsole console)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine("Targets (with their direct dependencies):");
        writer.WriteLine();
        foreach (var target in build.Graph.Targets.Where(t => t.IsListed))
        {
            var name = target.Name + (target.IsDefault ? " (default)" : "");
            if (target.Dependencies.Count > 0)
            {
                WriteEntry(writer, name, "-> " + string.Join(", ", target.Dependencies.Select(d => d.Name)));
                name = "";
            }
            WriteEntry(writer, name, target.Description ?? "");
        }
        writer.WriteLine();
        writer.WriteLine("Parameters:");
        writer.WriteLine();
        foreach (var parameter in parameters)
        {
            WriteEntry(writer, parameter.CliName, $"{parameter.Description} {ValueText(build, parameter)}".Trim());
            WriteEntry(writer, "", $"<{ValueConverter.AcceptedValues(parameter.Type)}>");
        }
        writer.WriteLine();
        foreach (var (name, description, accepted, _) in BuiltInOptions.All)
        {
            WriteEntry(writer, "--" + name, description);
            if (accepted is not null) WriteEntry(writer, "", accepted);
        }
    }

    static string ValueText(NukeBuild build, ParameterMember parameter)
    {
        var value = parameter.GetValue(build);
        if (parameter.IsSecret)
            return value is null ? "(secret; not set)" : $"(secret: ***** from {parameter.Source})";
        var shown = value switch
        {
            null => null,
            string s => $"'{s}'",
            Array a => $"'{string.Join(" ", a.Cast<object>())}'",
            bool b => b ? "true" : null,
            _ => $"'{value}'",
        };
        if (shown is null) return "";
        return parameter.Source == "default" ? $"Default: {shown}." : $"Currently {shown} (from {parameter.Source}).";
    }

    static void WriteEntry(TextWriter writer, string name, string text)
    {
        var lines = Wrap(text, Width - NameColumn - 2).ToList();
        if (lines.Count == 0) lines.Add("");
        var first = "  " + name.PadRight(NameColumn - 1);
        if (name.Length >= NameColumn - 1) { writer.WriteLine(("  " + name).TrimEnd()); first = new string(' ', NameColumn + 1); }
        writer.WriteLine((first + lines[0]).TrimEnd());
        foreach (var line in lines.Skip(1)) writer.WriteLine(new string(' ', NameColumn + 1) + line);
    }

    static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { yield return line; line = ""; }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }
}
