using System.Text.Json;

namespace BuildEngine;

/// <summary>
/// Sets [Parameter] members from, in order of precedence: the command line, environment variables
/// (exact name, then case/underscore-insensitive, NUKE_ prefix accepted), .nuke/parameters.&lt;profile&gt;.json,
/// .nuke/parameters.json; otherwise the member keeps its initializer (the default).
/// </summary>
internal sealed class ParameterInjector(
    IReadOnlyList<ParameterMember> parameters,
    CommandLine commandLine,
    IReadOnlyDictionary<string, string> environment,
    string rootDirectory,
    IReadOnlyList<string> profiles)
{
    public void Inject(object build)
    {
        var files = LoadParameterFiles();
        foreach (var parameter in parameters)
        {
            if (commandLine.Values(parameter.Name) is { } cliValues)
                Set(build, parameter, cliValues, "command line");
            else if (FindEnvironment(parameter.Name) is { } env)
                Set(build, parameter, [env.Value], $"env {env.Key}");
            else if (files.Select(f => (f.File, Value: Find(f.Values, parameter.Name))).FirstOrDefault(f => f.Value is not null) is { Value: { } json } hit)
                Set(build, parameter, JsonValues(json), hit.File);
            else
                Check(parameter, parameter.GetValue(build), DefaultText(parameter.GetValue(build)));
        }
    }

    static void Set(object build, ParameterMember parameter, IReadOnlyList<string> values, string source)
    {
        var value = ValueConverter.Convert(parameter.CliName, parameter.Type, values);
        Check(parameter, value, string.Join(" ", values));
        parameter.SetValue(build, value);
        parameter.Source = source;
    }

    /// <summary>Runs the parameter's rules on a set value (null means not given: Requires says whether that matters).</summary>
    static void Check(ParameterMember parameter, object? value, string text)
    {
        if (value is null) return;
        foreach (var rule in parameter.Rules)
            if (rule.Refuse(value, text) is { } refused)
                throw new BuildException($"Parameter {parameter.CliName} got '{(parameter.IsSecret ? "*****" : refused)}'; accepted: {rule.Accepted}.");
    }

    static string DefaultText(object? value) => value switch
    {
        Array a => string.Join(" ", a.Cast<object>()),
        _ => value?.ToString() ?? "",
    };

    /// <summary>An empty variable counts as unset: CI passes blank workflow inputs and undefined repository variables as "".</summary>
    KeyValuePair<string, string>? FindEnvironment(string name)
    {
        if (environment.TryGetValue(name, out var exact) && exact.Length > 0) return new(name, exact);
        var normalized = ParameterMember.Normalize(name);
        foreach (var entry in environment.Where(e => e.Value.Length > 0).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var key = ParameterMember.Normalize(entry.Key);
            if (key == normalized || key == "nuke" + normalized) return entry;
        }
        return null;
    }

    /// <summary>Profile files first (the later profile wins), the default file last.</summary>
    List<(string File, Dictionary<string, JsonElement> Values)> LoadParameterFiles()
    {
        var names = profiles.Reverse().Select(p => $"parameters.{p}.json").Append("parameters.json");
        var files = new List<(string, Dictionary<string, JsonElement>)>();
        foreach (var name in names)
        {
            var path = Path.Combine(rootDirectory, ".nuke", name);
            if (!File.Exists(path))
            {
                if (name != "parameters.json") throw new BuildException($"Profile file .nuke/{name} does not exist; create it or drop --profile.");
                continue;
            }
            try
            {
                var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(path)) ?? [];
                files.Add(($".nuke/{name}", values));
            }
            catch (JsonException e)
            {
                throw new BuildException($".nuke/{name} is not valid JSON ({e.Message}); fix or delete it.");
            }
        }
        return files;
    }

    static JsonElement? Find(Dictionary<string, JsonElement> values, string name)
    {
        var normalized = ParameterMember.Normalize(name);
        foreach (var (key, value) in values)
            if (ParameterMember.Normalize(key) == normalized) return value;
        return null;
    }

    static IReadOnlyList<string> JsonValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList(),
        JsonValueKind.String => [element.GetString()!],
        _ => [element.GetRawText()],
    };
}
