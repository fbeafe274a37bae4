using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>
/// Why the data volume is snapshotted: its description, its name in messages, the target(s) to run again (the invoked ones,
/// e.g. Destroy rather than the FinalSnapshot it depends on), what was spared on failure.
/// </summary>
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
        Volume volume;
        List<Snapshot> manual;
        try
        {
            volume = await new DataVolumes(aws.Ec2, aws.Region).GetAsync(volumeId, cancellationToken);
            manual = await new SnapshotCatalog(aws.Ec2, aws.Region).ManualFinalAsync(stack, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new BuildException($"Interrupted before the snapshot of {volumeId} started; nothing was {purpose.Spared}; ./build.sh {purpose.Target} --stack {stack} starts again.");
        }
        // An interrupted run left its snapshot in progress: wait for that one rather than start another.
        if (manual.FirstOrDefault(s => s.VolumeId == volumeId && s.State == SnapshotState.Pending) is { } running)
        {
            Log.Information($"Snapshot {running.SnapshotId} of {volumeId} is already in progress ({running.Progress}, started {Formats.Utc(running.StartTime)} UTC); waiting for it instead of starting another.");
            return await CompletedAsync(running.SnapshotId, volume, stack, purpose);
        }
        CreateSnapshotResponse created;
        try
        {
            created = await AwsErrors.Call("ec2:CreateSnapshot", () => aws.Ec2.CreateSnapshotAsync(new CreateSnapshotRequest
            {
                VolumeId = volumeId,
                Description = purpose.Description,
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = OpenClawTags.ManualSnapshotTags(stack, volume.AvailabilityZone) }],
            }, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // AWS may have started it before the answer was dropped; running the step again finds it (tags) and waits for it.
            throw new BuildException($"Interrupted while AWS was starting a snapshot of {volumeId}: it may be in progress in AWS (./build.sh Snapshots --stack {stack} shows it) " +
                                     $"and nothing was {purpose.Spared}; ./build.sh {purpose.Target} --stack {stack} resumes waiting for it, or starts it.");
        }
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
