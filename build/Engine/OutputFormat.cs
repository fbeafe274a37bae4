using System.Text.Json;
using System.Text.Json.Serialization;

namespace BuildEngine;

/// <summary>How targets print their result: tables for people, or one JSON document for scripts (--output json).</summary>
public enum OutputFormat { Text, Json }

/// <summary>The JSON a target prints with --output json: camelCase names, enums as text, times in ISO 8601 UTC.</summary>
internal static class ResultJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(object result) => JsonSerializer.Serialize(result, result.GetType(), Options);
}
