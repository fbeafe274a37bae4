using Amazon.EC2.Model;
using BuildEngine;

/// <summary>
/// Destroy's part around pulumi destroy: keeping the data volume when the stack retains it, and afterwards pointing the
/// stack's config at what was kept (the volume, or the final snapshot), so the next Deploy brings the data back.
/// </summary>
sealed class StackTeardown(StackContext run, string? finalSnapshotId)
{
    /// <summary>
    /// Before pulumi destroy, when the stack keeps its data volume (data_volume_retain_on_destroy, or an adopted data_volume_id,
    /// never its to delete): stops the instance, detaches the volume, tags it; null when the stack does not keep it (or has none).
    /// </summary>
    public async Task<Volume?> RetainDataVolumeAsync()
    {
        if (!await RetainsDataVolumeAsync()) return null;
        var outputs = await run.OutputsAsync();
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId)
        {
            Log.Warning($"Stack {run.Stack} keeps its data volume on destroy, but has no {Contract.Output.DataVolumeId} output (never deployed?): there is none to keep.");
            return null;
        }
        return await new VolumeRetention(await run.AwsAsync(outputs), run.Waiting, run.CancellationToken)
            .DetachAndTagAsync(volumeId, outputs.GetValueOrDefault(Contract.Output.InstanceId), run.Stack, run.Now);
    }

    async Task<bool> RetainsDataVolumeAsync() =>
        await run.ConfigAsync(Contract.Config.DataVolumeRetainOnDestroy) == "true"
        || !string.IsNullOrEmpty(await run.ConfigAsync(Contract.Config.DataVolumeId));

    /// <summary>After pulumi destroy: the config names the kept volume, so the next Deploy attaches it again (data_volume_id).</summary>
    public async Task PointAtRetainedVolumeAsync(Volume volume)
    {
        await run.SetConfigAsync(Contract.Config.DataVolumeId, volume.VolumeId);
        if (!string.IsNullOrEmpty(await run.ConfigAsync(Contract.Config.DataVolumeSnapshotId)))
            await run.RemoveConfigAsync(Contract.Config.DataVolumeSnapshotId);
        Log.Information($"Stack {run.Stack} is destroyed; its data volume {volume.VolumeId} ({VolumeRetention.Describe(volume, run.Now)}, {volume.AvailabilityZone}) is KEPT, detached and tagged " +
                                    $"{Contract.Tag.RetainedAt}/{Contract.Tag.RetainedFrom}. Keeping it costs {VolumeRetention.CostSentence(volume)}.");
        Log.Information($"Its config now names it as {Contract.Config.DataVolumeId}: ./build.sh Deploy --stack {run.Stack} attaches it again " +
                                    $"(./build.sh Reattach --stack <other> --volume {volume.VolumeId} --adopt-foreign moves it; ./build.sh DeleteRetainedVolume --volume {volume.VolumeId} deletes it after a snapshot)." +
                                    (finalSnapshotId is { } snapshot ? $" The final snapshot {snapshot} stays as a fallback (./build.sh Restore --snapshot {snapshot})." : ""));
        Log.Information(KeptBackupBucket);
    }

    /// <summary>After pulumi destroy: the final snapshot holds the newest data, and the next Deploy starts from it. The backup bucket is kept (retainOnDelete).</summary>
    public async Task PointAtFinalSnapshotAsync(bool wasEphemeral)
    {
        if (wasEphemeral)
        {
            Log.Information($"Stack {run.Stack} is destroyed. It was {Contract.Config.Persistence}: {Contract.Persistence.Ephemeral}: no data volume, snapshot or backup bucket was kept.");
            return;
        }
        if (finalSnapshotId is not { } finalSnapshot)
        {
            Log.Information($"Stack {run.Stack} is destroyed; its snapshots remain (./build.sh Snapshots --stack {run.Stack}, then Restore to bring it back).");
            Log.Information(KeptBackupBucket);
            return;
        }
        await run.SetConfigAsync(Contract.Config.DataVolumeSnapshotId, finalSnapshot);
        Log.Information($"Stack {run.Stack} is destroyed. Its config now names the final snapshot {finalSnapshot} as {Contract.Config.DataVolumeSnapshotId}: " +
                                    $"./build.sh Deploy --stack {run.Stack} brings the data back from it (./build.sh Restore --snapshot <id> picks another).");
        Log.Information(KeptBackupBucket);
    }

    string KeptBackupBucket =>
        $"Its backup bucket (output {Contract.Output.BackupBucket}; default openclaw-{run.Stack}-<account>-<region>) is kept with its OpenClaw archives " +
        $"(its lifecycle rules still remove each about 60 days after it was taken), and the next Deploy of stack {run.Stack} adopts it; to delete it for good, see docs/backups.md (What Destroy keeps).";
}
