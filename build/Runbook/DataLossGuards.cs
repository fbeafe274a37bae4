using BuildEngine;
using static Formats;

/// <summary>What Deploy and Preview refuse before pulumi changes anything, because the data would be lost or left behind.</summary>
sealed class DataLossGuards(StackContext run, bool yes)
{
    /// <summary>
    /// A new data volume without data_volume_snapshot_id starts blank (and so does the new S3 bucket): when the stack has
    /// snapshots, that is most likely a mistake (e.g. after Destroy --skip FinalSnapshot), so it needs --yes.
    /// </summary>
    public async Task RefuseBlankVolumeBesideSnapshotsAsync()
    {
        if (!string.IsNullOrEmpty(await run.ConfigAsync(Contract.Config.DataVolumeSnapshotId))) return;
        var aws = await run.AwsAsync();
        var snapshots = await new SnapshotCatalog(aws.Ec2, aws.Region).ForStackAsync(run.Stack, run.CancellationToken);
        if (SnapshotCatalog.NewestCompleted(snapshots) is not { } newest) return;
        var blank = $"stack {run.Stack} has snapshots (newest {newest.SnapshotId}, {Utc(newest.StartTime)} UTC), but this Deploy creates a blank data volume";
        if (!yes)
            throw new BuildException($"Not deploying: {blank}; bring the data back with ./build.sh Restore --stack {run.Stack} --snapshot latest, or pass --yes to start blank.");
        Log.Warning($"{char.ToUpperInvariant(blank[0])}{blank[1..]}; --yes: starting blank, the snapshots stay.");
    }

    /// <summary>
    /// When the preview replaces or deletes the data volume: a stack deployed with one that the config now makes ephemeral
    /// loses it (and its DLM policy and S3 mirror) for good in this deploy, so only with a completed manual-final snapshot
    /// of that volume to come back to. (Deploy then still snapshots the newest data first.)
    /// </summary>
    public async Task RefuseSwitchToEphemeralWithoutFinalSnapshotAsync()
    {
        var outputs = await run.OutputsAsync();
        var deployed = Contract.Persistence.Of(outputs);
        if (outputs.Count == 0 || deployed == Contract.Persistence.Ephemeral) return;
        var configured = await run.ConfigAsync(Contract.Config.Persistence) ?? Contract.Default(Contract.Config.Persistence);
        if (configured != Contract.Persistence.Ephemeral) return;

        var switching = $"stack {run.Stack} is deployed with {Contract.Config.Persistence}: {deployed} and its config now says {Contract.Persistence.Ephemeral}, " +
                        "which deletes its data volume, DLM policy and backup mirror";
        var volumeId = outputs.GetValueOrDefault(Contract.Output.DataVolumeId);
        var aws = await run.AwsAsync(outputs);
        var finals = await new SnapshotCatalog(aws.Ec2, aws.Region).ManualFinalAsync(run.Stack, run.CancellationToken);
        var final = SnapshotCatalog.NewestCompleted(finals.Where(s => volumeId is { Length: > 0 } && s.VolumeId == volumeId));
        if (final is null)
            throw new BuildException($"Not switching: {switching}, and it has no completed {Contract.TagValue.CreatedByManualFinal} snapshot of " +
                                     $"{(volumeId is { Length: > 0 } ? volumeId : "its data volume")} to restore from. Run ./build.sh FinalSnapshot --stack {run.Stack} first " +
                                     $"(or set {Contract.Config.Persistence} back to {Contract.Persistence.Snapshots}).");
        Log.Warning($"Switching: {switching}; its data stays in the final snapshot {final.SnapshotId} ({Utc(final.StartTime)} UTC): " +
                    $"./build.sh Restore --stack {run.Stack} --snapshot {final.SnapshotId} with {Contract.Config.Persistence}: {Contract.Persistence.Snapshots} brings it back.");
    }
}
