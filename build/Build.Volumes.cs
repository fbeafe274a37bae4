using Amazon.EC2.Model;
using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>
/// Retained data volumes: what Destroy does to keep one (data_volume_retain_on_destroy, or an adopted data_volume_id),
/// reattaching one to a stack, listing them, and deleting one after a snapshot (build/Aws/VolumeRetention.cs).
/// </summary>
partial class Build
{
    [Parameter("Reattach, DeleteRetainedVolume: the data volume (vol-...).")]
    [Matches(VolumeRetention.IdPattern, VolumeRetention.IdAccepted)]
    readonly string? Volume;

    [Parameter("Reattach: take over a volume of another of the platform's stacks: retags it as this stack's data volume so its DLM policy snapshots it.")]
    readonly bool AdoptForeign;

    [Parameter("DeleteRetainedVolume: delete without a snapshot first (asks to type the volume id; --yes answers).")]
    readonly bool NoSnapshot;

    Target Reattach => _ => _
        .Description($"Attaches a retained data volume (--volume vol-...): pins {Contract.Config.DataVolumeId} and the volume's AZ, then deploys.")
        .Before(ConfigureAz)
        .Triggers(Deploy)
        .Requires(() => Volume)
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var retention = new VolumeRetention(aws, Waiting, CancellationToken);
            var volume = await retention.GetAsync(Volume!);
            await RefuseReattachingAsync(volume);
            if (IsForeign(volume))
            {
                Log.Warning($"--adopt-foreign: {volume.VolumeId} ({Describe(volume)}) becomes stack {Stack}'s data volume: tagged {Contract.Tag.Stack}={Stack}, " +
                            $"{Contract.Tag.Data}={Contract.TagValue.Data}, {Contract.Tag.Az}={volume.AvailabilityZone}; stack {Stack}'s DLM policy snapshots it from now on.");
                await retention.AdoptAsync(volume, Stack);
            }
            await StackState.SetConfigAsync(Contract.Config.DataVolumeId, volume.VolumeId, cancellationToken: CancellationToken);
            await StackState.SetConfigAsync(Contract.Config.AvailabilityZone, volume.AvailabilityZone, cancellationToken: CancellationToken);
            // An adopted volume keeps its size, and adopting excludes restoring from a snapshot (infra/src/config.ts).
            foreach (var key in new[] { Contract.Config.DataVolumeSnapshotId, Contract.Config.DataVolumeSizeGib })
                if (!string.IsNullOrEmpty(await StackState.GetConfigAsync(key, CancellationToken)))
                {
                    await StackState.RemoveConfigAsync(key, CancellationToken);
                    Log.Information($"Removed {key} from stack {Stack}'s config: an adopted volume is used as it is.");
                }
            await PinRegionAsync(aws.Region);
            Log.Information($"Stack {Stack} attaches {volume.VolumeId} ({Describe(volume)}) in {volume.AvailabilityZone}; Deploy follows.");
        });

    Target RetainedVolumes => _ => _
        .Description("Lists the account's retained OpenClaw data volumes in the region (kept by Destroy, detached), with age, size and monthly cost.")
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var volumes = await new VolumeRetention(aws, Waiting, CancellationToken).ListAsync();
            var table = new Table().Border(TableBorder.Simple).Title($"Retained data volumes in {aws.Region}")
                .AddColumns("Volume", "Retained from", "Retained (UTC)").AddColumn(new TableColumn("Age").RightAligned())
                .AddColumn("AZ").AddColumn(new TableColumn("Size").RightAligned()).AddColumn(new TableColumn("Per month").RightAligned()).AddColumn(Contract.Tag.Stack);
            foreach (var v in volumes)
                table.AddRow(v.VolumeId, Markup.Escape(VolumeRetention.Tag(v, Contract.Tag.RetainedFrom) ?? ""), Utc(VolumeRetention.RetainedAt(v)), AgeText(v),
                    v.AvailabilityZone, $"{v.Size} GiB", Dollars(VolumeRetention.MonthlyCost(v.Size ?? 0), 2), Markup.Escape(VolumeRetention.Tag(v, Contract.Tag.Stack) ?? "(none)"));
            WriteResult(new
            {
                aws.Region,
                PricePerGbMonth = VolumeRetention.Gp3PricePerGbMonth, PriceSource = VolumeRetention.PriceSource,
                Volumes = volumes.Select(v => new
                {
                    v.VolumeId, RetainedFrom = VolumeRetention.Tag(v, Contract.Tag.RetainedFrom), RetainedAt = VolumeRetention.RetainedAt(v),
                    AgeDays = VolumeRetention.RetainedAt(v) is { } at ? Math.Round((Now - at).TotalDays, 1) : (double?)null,
                    v.AvailabilityZone, SizeGiB = v.Size, VolumeType = v.VolumeType?.Value, Stack = VolumeRetention.Tag(v, Contract.Tag.Stack),
                    MonthlyCostUsd = VolumeRetention.MonthlyCost(v.Size ?? 0),
                }),
            }, () => Console.Write(table));
            if (volumes.Count == 0)
            {
                Log.Information($"No retained OpenClaw data volumes in {aws.Region} (detached volumes tagged {Contract.Tag.RetainedAt}).");
                return;
            }
            var total = volumes.Sum(v => VolumeRetention.MonthlyCost(v.Size ?? 0));
            Log.Information($"{volumes.Count} retained volume(s), {volumes.Sum(v => v.Size ?? 0)} GiB: about {Dollars(total, 2)} a month (an estimate at {VolumeRetention.PriceSource}).");
            Log.Information("Reattach one: ./build.sh Reattach --stack <stack> --volume <volume>; delete one after a snapshot: ./build.sh DeleteRetainedVolume --volume <volume>.");
        });

    Target DeleteRetainedVolume => _ => _
        .Description("Deletes a retained data volume (--volume vol-...) once a snapshot of it is completed; --no-snapshot skips the snapshot after a typed confirmation.")
        .Requires(() => Volume)
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var retention = new VolumeRetention(aws, Waiting, CancellationToken);
            var volume = await retention.RetainedAsync(Volume!);
            var owner = VolumeRetention.Tag(volume, Contract.Tag.Stack) ?? VolumeRetention.Tag(volume, Contract.Tag.RetainedFrom) ?? Stack;
            // Ask before the snapshot, not after it: a refused deletion should not leave a snapshot behind.
            ConfirmVolumeDeletion(volume);
            if (NoSnapshot)
                Log.Warning($"!!! --no-snapshot: {volume.VolumeId} is deleted WITHOUT a snapshot; its data since the last snapshot of stack {owner} is lost. !!!");
            else
            {
                var snapshotId = await new DataVolumeSnapshots(aws, Waiting, CancellationToken).TakeAsync(volume.VolumeId, owner,
                    new SnapshotPurpose($"openclaw snapshot before deleting retained volume {volume.VolumeId} (stack {owner})", "Snapshot", "DeleteRetainedVolume", "deleted"));
                Log.Information($"Its data is in {snapshotId}: ./build.sh Restore --stack {owner} --snapshot {snapshotId} brings it back (CleanupSnapshots deletes it).");
            }
            await retention.DeleteAsync(volume.VolumeId);
            Log.Information($"Deleted {volume.VolumeId} ({Describe(volume)}); it no longer costs {VolumeRetention.CostSentence(volume)}.");
        });

    /// <summary>Destroy keeps the data volume: data_volume_retain_on_destroy, or a data_volume_id the stack adopted (never its to delete).</summary>
    async Task<bool> RetainsDataVolumeAsync() =>
        await StackState.GetConfigAsync(Contract.Config.DataVolumeRetainOnDestroy, CancellationToken) == "true"
        || !string.IsNullOrEmpty(await StackState.GetConfigAsync(Contract.Config.DataVolumeId, CancellationToken));

    /// <summary>
    /// Destroy, after FinalSnapshot and before pulumi destroy, when the stack keeps its data volume: stops the instance, detaches
    /// the volume, tags it; null when the stack does not keep it (or has none).
    /// </summary>
    async Task<Volume?> RetainDataVolumeAsync()
    {
        if (!await RetainsDataVolumeAsync()) return null;
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId)
        {
            Log.Warning($"Stack {Stack} keeps its data volume on destroy, but has no {Contract.Output.DataVolumeId} output (never deployed?): there is none to keep.");
            return null;
        }
        var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
        return await new VolumeRetention(aws, Waiting, CancellationToken)
            .DetachAndTagAsync(volumeId, outputs.GetValueOrDefault(Contract.Output.InstanceId), Stack, Now);
    }

    /// <summary>After pulumi destroy: the config names the kept volume, so the next Deploy attaches it again (data_volume_id).</summary>
    async Task PointAtRetainedVolumeAsync(Volume volume)
    {
        await StackState.SetConfigAsync(Contract.Config.DataVolumeId, volume.VolumeId, cancellationToken: CancellationToken);
        if (!string.IsNullOrEmpty(await StackState.GetConfigAsync(Contract.Config.DataVolumeSnapshotId, CancellationToken)))
            await StackState.RemoveConfigAsync(Contract.Config.DataVolumeSnapshotId, CancellationToken);
        Log.Information($"Stack {Stack} is destroyed; its data volume {volume.VolumeId} ({Describe(volume)}, {volume.AvailabilityZone}) is KEPT, detached and tagged " +
                        $"{Contract.Tag.RetainedAt}/{Contract.Tag.RetainedFrom}. Keeping it costs {VolumeRetention.CostSentence(volume)}.");
        Log.Information($"Its config now names it as {Contract.Config.DataVolumeId}: ./build.sh Deploy --stack {Stack} attaches it again " +
                        $"(./build.sh Reattach --stack <other> --volume {volume.VolumeId} --adopt-foreign moves it; ./build.sh DeleteRetainedVolume --volume {volume.VolumeId} deletes it after a snapshot)." +
                        (CompletedFinalSnapshotId is { } snapshot ? $" The final snapshot {snapshot} stays as a fallback (./build.sh Restore --snapshot {snapshot})." : ""));
        Log.Information(KeptBackupBucket);
    }

    /// <summary>Reattach never swaps a live volume out, never takes one another instance holds, nor another stack's without --adopt-foreign.</summary>
    async Task RefuseReattachingAsync(Volume volume)
    {
        var id = volume.VolumeId;
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is { Length: > 0 } current && current != id)
            throw new BuildException($"Stack {Stack} is deployed with its data volume {current}; Reattach would detach it. Destroy the stack first " +
                                     $"(with {Contract.Config.DataVolumeRetainOnDestroy}: true to keep {current}), then run Reattach again.");
        if (volume.Encrypted != true)
            throw new BuildException($"{id} is not encrypted; the stack only runs on encrypted data volumes (snapshot it, copy the snapshot encrypted, and reattach a volume made from the copy).");
        var holders = (volume.Attachments ?? []).Where(a => a.State != Amazon.EC2.AttachmentStatus.Detached && a.InstanceId != outputs.GetValueOrDefault(Contract.Output.InstanceId)).ToList();
        if (holders.Count > 0)
            throw new BuildException($"{id} is attached to {string.Join(", ", holders.Select(a => a.InstanceId))}, not to stack {Stack}'s instance; one writer only: detach it there first.");
        if (IsForeign(volume) && VolumeRetention.Tag(volume, Contract.Tag.Stack) is null)
            throw new BuildException($"{id} has no {Contract.Tag.Stack} tag, and the runbook's roles only move volumes between the platform's stacks " +
                                     $"(so no job can pull someone else's volume into a stack): tag it yourself with credentials that may " +
                                     $"(aws ec2 create-tags --resources {id} --tags Key={Contract.Tag.Stack},Value={Stack} Key={Contract.Tag.Data},Value={Contract.TagValue.Data}), then run Reattach again.");
        if (IsForeign(volume) && !AdoptForeign)
        {
            var owner = VolumeRetention.Tag(volume, Contract.Tag.Stack);
            throw new BuildException($"{id} belongs to stack {owner}, not to {Stack}; pass --adopt-foreign to take it over " +
                                     $"(it is retagged {Contract.Tag.Stack}={Stack} and stack {owner} can no longer use it), or reattach it with --stack {owner}.");
        }
    }

    bool IsForeign(Volume volume) =>
        VolumeRetention.Tag(volume, Contract.Tag.Stack) != Stack || VolumeRetention.Tag(volume, Contract.Tag.Data) != Contract.TagValue.Data;

    /// <summary>"30 GiB gp3, retained 3d ago from stack dev".</summary>
    string Describe(Volume volume) =>
        $"{volume.Size} GiB {volume.VolumeType?.Value}" + (VolumeRetention.RetainedAt(volume) is { } at
            ? $", retained {Age(Now - at)} ago from stack {VolumeRetention.Tag(volume, Contract.Tag.RetainedFrom)}"
            : "");

    string AgeText(Volume volume) => VolumeRetention.RetainedAt(volume) is { } at ? Age(Now - at) : "";

    void ConfirmVolumeDeletion(Volume volume)
    {
        var what = $"{volume.VolumeId} ({Describe(volume)})";
        if (Yes) return;
        if (!Console.Profile.Capabilities.Interactive)
            throw new BuildException($"DeleteRetainedVolume would delete {what} and there is no terminal to confirm on: pass --yes to delete it; nothing was deleted.");
        var question = NoSnapshot
            ? $"Type the volume id [bold]{volume.VolumeId}[/] to delete it WITHOUT a snapshot:"
            : $"Type the volume id [bold]{volume.VolumeId}[/] to snapshot and then delete it:";
        var typed = Console.Prompt(new TextPrompt<string>(question).AllowEmpty());
        if (typed.Trim() != volume.VolumeId)
            throw new BuildException($"'{typed.Trim()}' is not '{volume.VolumeId}'; nothing was deleted.");
    }
}
