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
            var checks = new ReattachChecks(Run, AdoptForeign);
            await checks.RefuseAsync(volume);
            if (checks.NeedsAdopting(volume))
            {
                Log.Warning($"--adopt-foreign: {volume.VolumeId} ({VolumeRetention.Describe(volume, Now)}) becomes stack {Stack}'s data volume: tagged {Contract.Tag.Stack}={Stack}, " +
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
            await Run.PinRegionAsync(aws.Region);
            Log.Information($"Stack {Stack} attaches {volume.VolumeId} ({VolumeRetention.Describe(volume, Now)}) in {volume.AvailabilityZone}; Deploy follows.");
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
                table.AddRow(v.VolumeId, Markup.Escape(VolumeRetention.Tag(v, Contract.Tag.RetainedFrom) ?? ""), Utc(VolumeRetention.RetainedAt(v)), VolumeRetention.AgeText(v, Now),
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
            Log.Information($"Deleted {volume.VolumeId} ({VolumeRetention.Describe(volume, Now)}); it no longer costs {VolumeRetention.CostSentence(volume)}.");
        });

    void ConfirmVolumeDeletion(Volume volume)
    {
        var what = $"{volume.VolumeId} ({VolumeRetention.Describe(volume, Now)})";
        var question = NoSnapshot
            ? $"Type the volume id [bold]{volume.VolumeId}[/] to delete it WITHOUT a snapshot:"
            : $"Type the volume id [bold]{volume.VolumeId}[/] to snapshot and then delete it:";
        Confirmation.TypeBack(question, volume.VolumeId,
            $"DeleteRetainedVolume would delete {what} and there is no terminal to confirm on: pass --yes to delete it; nothing was deleted.",
            typed => $"'{typed}' is not '{volume.VolumeId}'; nothing was deleted.");
    }
}
