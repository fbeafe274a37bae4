using Amazon.EC2.Model;

/// <summary>The tags on the data volume and its snapshots (docs/contracts.md).</summary>
public static class OpenClawTags
{
    public const string Data = "OpenClawData";
    public const string Stack = "OpenClawStack";
    public const string Az = "OpenClawAz";
    public const string CreatedBy = "CreatedBy";
    public const string ManualFinal = "manual-final";

    public static string? Tag(this Snapshot snapshot, string key) => (snapshot.Tags ?? []).FirstOrDefault(t => t.Key == key)?.Value;

    public static Filter TagFilter(string key, string value) => new($"tag:{key}", [value]);
}
