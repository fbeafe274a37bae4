using System.Text.Json;
using System.Text.Json.Nodes;

namespace BuildEngine;

/// <summary>.nuke/build.schema.json (draft-04, as NUKE writes it) so editors complete .nuke/parameters.json.</summary>
public static class SchemaGenerator
{
    public const string RelativePath = ".nuke/build.schema.json";

    public static string Generate(NukeBuild build, IReadOnlyList<ParameterMember> parameters)
    {
        var targetNames = new JsonArray(build.Graph.Targets.Select(t => (JsonNode)t.Name).ToArray());
        var properties = new JsonObject();
        foreach (var parameter in parameters)
        {
            var property = TypeSchema(parameter.Type);
            if (parameter.Description is { } description) property["description"] = description;
            if (parameter.IsSecret) property["default"] = "Secrets must be set through the environment";
            properties[parameter.Name] = property;
        }
        properties["Profile"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "Profiles of .nuke/parameters.<profile>.json to load" };
        properties["Skip"] = TargetList("List of targets to be skipped. Empty list skips all dependencies", targetNames);
        properties["Target"] = TargetList("List of targets to be invoked. Default is the build's default target", targetNames.DeepClone().AsArray());
        properties["Verbosity"] = new JsonObject { ["type"] = "string", ["enum"] = Names(typeof(Verbosity)), ["description"] = "Logging verbosity during build execution" };

        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["title"] = "Build Schema",
            ["$ref"] = "#/definitions/build",
            ["definitions"] = new JsonObject
            {
                ["build"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject(properties.OrderBy(p => p.Key, StringComparer.Ordinal)
                        .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))),
                },
            },
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Rewrites the committed schema when it differs (local runs only, as NUKE does).</summary>
    public static void UpdateFile(NukeBuild build, IReadOnlyList<ParameterMember> parameters)
    {
        var path = Path.Combine(build.RootDirectory, RelativePath);
        if (!Directory.Exists(Path.GetDirectoryName(path))) return;
        var content = Generate(build, parameters);
        if (!File.Exists(path) || File.ReadAllText(path) != content) File.WriteAllText(path, content);
    }

    static JsonObject TypeSchema(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray) return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(underlying.GetElementType()!) };
        if (underlying.IsEnum) return new JsonObject { ["type"] = "string", ["enum"] = Names(underlying) };
        if (underlying == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (underlying == typeof(int) || underlying == typeof(long)) return new JsonObject { ["type"] = "integer" };
        if (underlying == typeof(double) || underlying == typeof(decimal)) return new JsonObject { ["type"] = "number" };
        return new JsonObject { ["type"] = "string" };
    }

    static JsonObject TargetList(string description, JsonArray names) => new()
    {
        ["type"] = "array",
        ["description"] = description,
        ["items"] = new JsonObject { ["type"] = "string", ["enum"] = names },
    };

    static JsonArray Names(Type enumType) => new(Enum.GetNames(enumType).Select(n => (JsonNode)n).ToArray());
}
