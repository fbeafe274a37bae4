using Amazon.EC2.Model;

/// <summary>Reading and filtering by the contract's tags (names in <see cref="Contract.Tag"/>).</summary>
public static class OpenClawTags
{
    public static string? Tag(this Snapshot snapshot, string key) => (snapshot.Tags ?? []).FirstOrDefault(t => t.Key == key)?.Value;

    public static Filter TagFilter(string key, string value) => new($"tag:{key}", [value]);

    /// <summary>The tags of a snapshot the runbook takes of the data volume (DLM copies the same ones onto its own).</summary>
    public static List<Tag> ManualSnapshotTags(string stack, string availabilityZone) =>
    [
        new(Contract.Tag.Data, Contract.TagValue.Data), new(Contract.Tag.Stack, stack),
        new(Contract.Tag.Az, availabilityZone), new(Contract.Tag.CreatedBy, Contract.TagValue.CreatedByManualFinal),
    ];
}
