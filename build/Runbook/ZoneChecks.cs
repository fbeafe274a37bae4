using BuildEngine;

/// <summary>What pinning an AZ checks (ConfigureAz, Move): the zone is the region's, it offers the instance type, and it does not strand the data volume.</summary>
sealed class ZoneChecks(StackContext run, AwsSession aws)
{
    public static bool IsZoneOf(string zone, string region) =>
        zone.StartsWith(region, StringComparison.Ordinal) && zone.Length > region.Length && zone[region.Length..].All(char.IsAsciiLetterLower);

    public async Task RequireOfferedAsync(string instanceType, string zone)
    {
        var zones = (await new SpotPriceQuery(aws.Ec2, aws.Region, run.Time).OfferingsAsync([instanceType], run.CancellationToken)).Select(o => o.Zone).Order().ToList();
        if (zones.Count == 0) throw new BuildException($"{instanceType} is not offered in any availability zone of {aws.Region}; pick another --instance-type.");
        if (!zones.Contains(zone)) throw new BuildException($"{instanceType} is not offered in {zone}; it is in {string.Join(", ", zones)}.");
    }

    /// <summary>A new AZ would strand an existing data volume, unless the stack restores from a snapshot taken for that AZ.</summary>
    public async Task RefuseMovingTheDataVolumeAsync(string zone)
    {
        var current = await run.ConfigAsync(Contract.Config.AvailabilityZone);
        if (current is null || current == zone) return;
        var outputs = await run.OutputsAsync();
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId) return;
        if (await run.ConfigAsync(Contract.Config.DataVolumeSnapshotId) is { } snapshotId
            && (await new SnapshotCatalog(aws.Ec2, aws.Region).GetAsync(snapshotId, run.CancellationToken)).Tag(Contract.Tag.Az) == zone)
            return;
        throw new BuildException($"Stack {run.Stack} has data volume {volumeId} in {current}; moving to {zone} would leave its data behind: " +
                                 $"restore from a snapshot tagged {Contract.Tag.Az}={zone} (./build.sh Restore --snapshot <id>) or keep {current}.");
    }
}
