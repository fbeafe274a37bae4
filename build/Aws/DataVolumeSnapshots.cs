using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>Why the data volume is snapshotted: its description, its name in messages, the target to run again, what was spared on failure.</summary>
public sealed record SnapshotPurpose(string Description, string Name, string Target, string Spared);

/// <summary>Snapshots of the data volume the runbook takes itself (before Destroy, before Deploy replaces the volume).</summary>
public sealed class DataVolumeSnapshots(AwsSession aws, Waiting waiting, CancellationToken cancellationToken)
{
    /// <summary>
    /// Snapshots the volume with the contract's tags and CreatedBy=manual-final, then waits (bounded) until it is completed;
    /// returns its id.
    /// </summary>
    public async Task<string> TakeAsync(string volumeId, string stack, SnapshotPurpose purpose)
    {
        var volume = await new DataVolumes(aws.Ec2, aws.Region).GetAsync(volumeId, cancellationToken);
        var created = await AwsErrors.Call("ec2:CreateSnapshot", () => aws.Ec2.CreateSnapshotAsync(new CreateSnapshotRequest
        {
            VolumeId = volumeId,
            Description = purpose.Description,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = OpenClawTags.ManualSnapshotTags(stack, volume.AvailabilityZone) }],
        }, cancellationToken));
        var snapshotId = created.Snapshot.SnapshotId;
        Log.Information($"Started snapshot {snapshotId} of {volumeId} ({volume.Size} GiB, {volume.AvailabilityZone}).");

        await WaitUntilCompletedAsync(snapshotId, purpose);
        Log.Information($"{purpose.Name} {snapshotId} is completed (tags {Contract.Tag.Stack}={stack}, {Contract.Tag.Az}={volume.AvailabilityZone}, " +
                        $"{Contract.Tag.CreatedBy}={Contract.TagValue.CreatedByManualFinal}).");
        return snapshotId;
    }

    Task WaitUntilCompletedAsync(string snapshotId, SnapshotPurpose purpose)
    {
        var catalog = new SnapshotCatalog(aws.Ec2, aws.Region);
        return Waiter.WaitAsync(waiting, $"Snapshot {snapshotId}", async () =>
        {
            var snapshot = await catalog.GetAsync(snapshotId, cancellationToken);
            if (snapshot.State == SnapshotState.Error)
                throw new BuildException($"Snapshot {snapshotId} failed (state error: {snapshot.StateMessage ?? "no reason given"}); nothing was {purpose.Spared} — run {purpose.Target} again.");
            return new WaitState(snapshot.State == SnapshotState.Completed, Formats.Percent(snapshot.Progress), snapshot.State?.Value ?? "?");
        }, state => $"Snapshot {snapshotId} is still {state.Status} ({state.Percent:0}%) after {waiting.Timeout}; nothing was {purpose.Spared} — wait and run {purpose.Target} again, or raise --wait-timeout.", cancellationToken);
    }
}
