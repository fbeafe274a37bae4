using BuildEngine;
using static Formats;

/// <summary>
/// The stack's persistence mode (config and output <c>persistence</c>, docs/modes.md): <c>snapshots</c> keeps the state on
/// a data volume with snapshots and S3 backups; <c>ephemeral</c> keeps it on the instance's root volume only.
/// </summary>
partial class Build
{
    /// <summary>Why FinalSnapshot is skipped for an ephemeral stack (its OnlyWhenStatic reason, printed and shown by --plan).</summary>
    internal static string EphemeralSkipReason => $"{Contract.Config.Persistence}: {Contract.Persistence.Ephemeral} keeps no data volume";

    string? _deployedPersistence;

    /// <summary>
    /// The mode the stack is deployed with (its output). A stack deployed before the output existed, or not deployed, counts
    /// as snapshots: that is what it had, and what FinalSnapshot and Destroy then expect. Read once a run, before any change.
    /// </summary>
    string DeployedPersistence =>
        _deployedPersistence ??= PersistenceOf(StackState.GetOutputsAsync(CancellationToken).GetAwaiter().GetResult());

    static string PersistenceOf(IReadOnlyDictionary<string, string> outputs) =>
        outputs.GetValueOrDefault(Contract.Output.Persistence) is { Length: > 0 } mode ? mode : Contract.Persistence.Snapshots;

    /// <summary>
    /// FinalSnapshot's condition: the deployed stack has a data volume. Outputs that cannot be read skip nothing: FinalSnapshot
    /// then runs and fails with the reason itself.
    /// </summary>
    bool HasDataVolume
    {
        get
        {
            try
            {
                return DeployedPersistence != Contract.Persistence.Ephemeral;
            }
            catch (BuildException)
            {
                return true;
            }
        }
    }

    /// <summary>True when this run already found the stack deployed as ephemeral (FinalSnapshot's condition read it before any change).</summary>
    bool WasEphemeral => _deployedPersistence == Contract.Persistence.Ephemeral;

    /// <summary>
    /// Deploy and Preview, when the preview replaces or deletes the data volume: a stack deployed with one that the config
    /// now makes ephemeral loses it (and its DLM policy and S3 mirror) for good in this deploy, so only with a completed
    /// manual-final snapshot of that volume to come back to. (Deploy then still snapshots the newest data first.)
    /// </summary>
    async Task RefuseSwitchToEphemeralWithoutFinalSnapshotAsync()
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (outputs.Count == 0 || PersistenceOf(outputs) == Contract.Persistence.Ephemeral) return;
        var configured = await StackState.GetConfigAsync(Contract.Config.Persistence, CancellationToken) ?? Contract.Default(Contract.Config.Persistence);
        if (configured != Contract.Persistence.Ephemeral) return;

        var switching = $"stack {Stack} is deployed with {Contract.Config.Persistence}: {PersistenceOf(outputs)} and its config now says {Contract.Persistence.Ephemeral}, " +
                        "which deletes its data volume, DLM policy and backup mirror";
        var volumeId = outputs.GetValueOrDefault(Contract.Output.DataVolumeId);
        var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
        var finals = await Catalog(aws).ManualFinalAsync(Stack, CancellationToken);
        var final = SnapshotCatalog.NewestCompleted(finals.Where(s => volumeId is { Length: > 0 } && s.VolumeId == volumeId));
        if (final is null)
            throw new BuildException($"Not switching: {switching}, and it has no completed {Contract.TagValue.CreatedByManualFinal} snapshot of " +
                                     $"{(volumeId is { Length: > 0 } ? volumeId : "its data volume")} to restore from. Run ./build.sh FinalSnapshot --stack {Stack} first " +
                                     $"(or set {Contract.Config.Persistence} back to {Contract.Persistence.Snapshots}).");
        Log.Warning($"Switching: {switching}; its data stays in the final snapshot {final.SnapshotId} ({Utc(final.StartTime)} UTC): " +
                    $"./build.sh Restore --stack {Stack} --snapshot {final.SnapshotId} with {Contract.Config.Persistence}: {Contract.Persistence.Snapshots} brings it back.");
    }
}
