using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>One resource the update would change, from the steps of <c>pulumi preview --json</c>.</summary>
public sealed record ResourceChange(string Operation, string Type, string Name, string Urn, IReadOnlyList<string> Reasons)
{
    public const string DataVolumeType = "aws:ebs/volume:Volume";

    /// <summary>Replacing or deleting the data volume loses whatever on /opt/openclaw is not in a snapshot.</summary>
    public bool LosesData => Type == DataVolumeType && Operation is "replace" or "delete";

    /// <summary>A new data volume: blank unless data_volume_snapshot_id names a snapshot.</summary>
    public bool CreatesDataVolume => Type == DataVolumeType && Operation == "create";

    public const string InstanceType = "aws:ec2/instance:Instance";

    /// <summary>A replaced spot instance leaves its persistent spot request behind, still open.</summary>
    public bool ReplacesInstance => Type == InstanceType && Operation == "replace";

    internal int Order => Array.IndexOf(["create", "update", "replace", "delete"], Operation) is var i and >= 0 ? i : 4;
}

public sealed record PreviewDiagnostic(string Severity, string Message);

/// <summary>The parsed output of <c>pulumi preview --json</c>: {"steps": [...], "changeSummary": {...}, "diagnostics": [...]}.</summary>
public sealed partial record PreviewResult(
    IReadOnlyList<ResourceChange> Changes,
    IReadOnlyDictionary<string, int> ChangeSummary,
    IReadOnlyList<PreviewDiagnostic> Diagnostics)
{
    static readonly string[] Unchanged = ["same", "read", "refresh", "discard", "read-discard"];
    static readonly string[] ReplaceParts = ["replace", "create-replacement", "delete-replaced", "read-replacement", "import-replacement", "discard-replaced"];

    public bool HasChanges => Changes.Count > 0 || ChangeSummary.Any(c => !Unchanged.Contains(c.Key) && c.Value > 0);
    public int UnchangedCount => ChangeSummary.GetValueOrDefault("same");
    /// <summary>The error diagnostics, without the engine's closing "preview failed".</summary>
    public IEnumerable<string> Errors => Diagnostics.Where(d => d.Severity == "error" && d.Message != "preview failed").Select(d => d.Message);

    /// <exception cref="JsonException">The text is not the JSON document pulumi prints.</exception>
    public static PreviewResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("pulumi preview --json did not print an object.");
        return new PreviewResult(ParseSteps(root), ParseSummary(root), ParseDiagnostics(root));
    }

    static List<ResourceChange> ParseSteps(JsonElement root)
    {
        if (!root.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array) return [];
        // A replacement shows up as up to three steps for one URN (create-replacement, replace, delete-replaced): one row.
        return steps.EnumerateArray()
            .Select(step => (Op: Text(step, "op"), Urn: Text(step, "urn"), Step: step))
            .Where(s => !Unchanged.Contains(s.Op))
            .GroupBy(s => s.Urn)
            .Select(group =>
            {
                var replaced = group.Any(s => ReplaceParts.Contains(s.Op));
                var reasons = group.SelectMany(s => Strings(s.Step, replaced ? "replaceReasons" : "diffReasons")).Distinct().ToList();
                var (type, name) = SplitUrn(group.Key);
                return new ResourceChange(replaced ? "replace" : group.First().Op, type, name, group.Key, reasons);
            })
            .OrderBy(c => c.Order).ThenBy(c => c.Type, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    static Dictionary<string, int> ParseSummary(JsonElement root) =>
        root.TryGetProperty("changeSummary", out var summary) && summary.ValueKind == JsonValueKind.Object
            ? summary.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetInt32())
            : [];

    static List<PreviewDiagnostic> ParseDiagnostics(JsonElement root) =>
        root.TryGetProperty("diagnostics", out var diagnostics) && diagnostics.ValueKind == JsonValueKind.Array
            ? diagnostics.EnumerateArray()
                .Select(d => new PreviewDiagnostic(Text(d, "severity"), ColorDirective().Replace(Text(d, "message"), "").Trim()))
                .Where(d => d.Message.Length > 0)
                .ToList()
            : [];

    /// <summary>urn:pulumi:&lt;stack&gt;::&lt;project&gt;::&lt;parent$type&gt;::&lt;name&gt;</summary>
    internal static (string Type, string Name) SplitUrn(string urn)
    {
        var parts = urn.Split("::");
        if (parts.Length < 4) return ("", urn);
        var qualifiedType = parts[2];
        return (qualifiedType[(qualifiedType.LastIndexOf('$') + 1)..], string.Join("::", parts[3..]));
    }

    static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    static IEnumerable<string> Strings(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)
            : [];

    /// <summary>The engine's colour markup in diagnostic messages, e.g. &lt;{%reset%}&gt;.</summary>
    [GeneratedRegex(@"<\{%[^%]*%\}>")]
    private static partial Regex ColorDirective();
}
