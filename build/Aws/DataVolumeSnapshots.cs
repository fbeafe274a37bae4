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
        // An interrupted run left its snapshot in progress: wait for that one rather than start another.
        var manual = await new SnapshotCatalog(aws.Ec2, aws.Region).ManualFinalAsync(stack, cancellationToken);
        if (manual.FirstOrDefault(s => s.VolumeId == volumeId && s.State == SnapshotState.Pending) is { } running)
        {
            Log.Information($"Snapshot {running.SnapshotId} of {volumeId} is already in progress ({running.Progress}, started {Formats.Utc(running.StartTime)} UTC); waiting for it instead of starting another.");
            return await CompletedAsync(running.SnapshotId, volume, stack, purpose);
        }
        var created = await AwsErrors.Call("ec2:CreateSnapshot", () => aws.Ec2.CreateSnapshotAsync(new CreateSnapshotRequest
        {
            VolumeId = volumeId,
            Description = purpose.Description,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = OpenClawTags.ManualSnapshotTags(stack, volume.AvailabilityZone) }],
        }, cancellationToken));
        var snapshotId = created.Snapshot.SnapshotId;
        Log.Information($"Started snapshot {snapshotId} of {volumeId} ({volume.Size} GiB, {volume.AvailabilityZone}).");
        return await CompletedAsync(snapshotId, volume, stack, purpose);
    }

    async Task<string> CompletedAsync(string snapshotId, Volume volume, string stack, SnapshotPurpose purpose)
    {
        await WaitUntilCompletedAsync(snapshotId, volume.VolumeId, stack, purpose);
        Log.Information($"{purpose.Name} {snapshotId} is completed (tags {Contract.Tag.Stack}={stack}, {Contract.Tag.Az}={volume.AvailabilityZone}, " +
                        $"{Contract.Tag.CreatedBy}={Contract.TagValue.CreatedByManualFinal}).");
        return snapshotId;
    }

    Task WaitUntilCompletedAsync(string snapshotId, string volumeId, string stack, SnapshotPurpose purpose)
    {
        var catalog = new SnapshotCatalog(aws.Ec2, aws.Region);
        return Waiter.WaitAsync(waiting, $"Snapshot {snapshotId}", async () =>
        {
            var snapshot = await catalog.GetAsync(snapshotId, cancellationToken);
            if (snapshot.State == SnapshotState.Error)
                throw new BuildException($"Snapshot {snapshotId} failed (state error: {snapshot.StateMessage ?? "no reason given"}); nothing was {purpose.Spared} — run {purpose.Target} again.");
            return new WaitState(snapshot.State == SnapshotState.Completed, Formats.Percent(snapshot.Progress), snapshot.State?.Value ?? "?");
        }, state => $"Snapshot {snapshotId} is still {state.Status} ({state.Percent:0}%) after {waiting.Timeout}; nothing was {purpose.Spared} — wait and run {purpose.Target} again, or raise --wait-timeout.",
        state => $"Interrupted: snapshot {snapshotId} of {volumeId} is still in progress in AWS{(state is { } s ? $" ({s.Percent:0}%)" : "")} and nothing was {purpose.Spared}; " +
                 $"./build.sh {purpose.Target} --stack {stack} resumes waiting for it.", cancellationToken);
    }
}
