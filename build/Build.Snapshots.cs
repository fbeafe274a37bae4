using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>Snapshots of the data volume: restore candidates, restore, the final snapshot before Destroy, DLM, cleanup.</summary>
partial class Build
{
    [Parameter("Restore: the snapshot to restore the data volume from (snap-... or latest).")]
    public string? Snapshot;

    [Parameter("CleanupSnapshots: manual final snapshots to delete (space separated snap-... ids).")]
    public string[]? SnapshotIds;

    [Parameter("CleanupSnapshots: delete manual final snapshots older than this (e.g. 30d, 12h).")]
    public TimeSpan? OlderThan;

    [Parameter("FinalSnapshot, DetachVolume: how long to wait for AWS to finish before failing.")]
    public TimeSpan WaitTimeout = TimeSpan.FromHours(1);

    /// <summary>Between two polls while waiting (tests shorten it).</summary>
    internal TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>Set by FinalSnapshot once its snapshot is completed; Destroy requires it (or --skip FinalSnapshot).</summary>
    internal string? CompletedFinalSnapshotId;

    Target Snapshots => _ => _
        .Description("Lists the stack's restore candidates, newest first.")
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var snapshots = await Catalog(aws).ForStackAsync(Stack, CancellationToken);
            var table = new Table().Border(TableBorder.Simple).Title($"Snapshots of stack {Stack} in {aws.Region}")
                .AddColumns("Started (UTC)", "Snapshot", "OpenClawAz", "State").AddColumn(new TableColumn("Size").RightAligned()).AddColumn("CreatedBy");
            foreach (var s in snapshots)
                table.AddRow(Utc(s.StartTime), s.SnapshotId, s.Tag(OpenClawTags.Az) ?? "(none)", StateText(s), $"{s.VolumeSize} GiB", s.Tag(OpenClawTags.CreatedBy) ?? "");
            Console.Write(table);
            if (snapshots.Count == 0) Log.Warning($"Stack {Stack} has no snapshots in {aws.Region} (OpenClawData=true, OpenClawStack={Stack}).");
            else Log.Information($"Restore one: ./build.sh Restore --stack {Stack} --snapshot <snapshot id> (or --snapshot latest).");
        });

    Target Restore => _ => _
        .Description("Restores the data volume from a snapshot (--snapshot snap-... | latest), then deploys.")
        .Before(ConfigureAz)
        .Triggers(Deploy)
        .Requires(() => Snapshot)
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var snapshot = await RestorableSnapshotAsync(aws, Snapshot!);
            var zone = snapshot.Tag(OpenClawTags.Az)!;
            await StackState.SetConfigAsync("data_volume_snapshot_id", snapshot.SnapshotId, cancellationToken: CancellationToken);
            await StackState.SetConfigAsync("availability_zone", zone, cancellationToken: CancellationToken);
            await PinRegionAsync(aws.Region);
            Log.Information($"Stack {Stack} restores its data volume from {snapshot.SnapshotId} ({Utc(snapshot.StartTime)} UTC) in {zone}; Deploy follows.");
        });

    Target FinalSnapshot => _ => _
        .Description("Snapshots the data volume and waits until it is completed (runs before Destroy).")
        .Executes(async () =>
        {
            // Ask before the snapshot, not after it: a refused Destroy should not leave a snapshot behind.
            if (IsScheduled(Destroy)) ConfirmDestroy();
            CompletedFinalSnapshotId = await SnapshotDataVolumeAsync(new SnapshotPurpose(
                $"openclaw final snapshot before destroy (stack {Stack})", "Final snapshot", "FinalSnapshot", "destroyed",
                $"Stack {Stack} has no data_volume_id output (never deployed?), so there is nothing to snapshot; pass --skip FinalSnapshot to destroy without one."));
        });

    /// <summary>
    /// Snapshots the stack's data volume (data_volume_id output) with the contract's tags, CreatedBy=manual-final, and waits
    /// (bounded) until it is completed; returns its id.
    /// </summary>
    async Task<string> SnapshotDataVolumeAsync(SnapshotPurpose purpose)
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (!outputs.TryGetValue("data_volume_id", out var volumeId) || string.IsNullOrEmpty(volumeId)) throw new BuildException(purpose.NoVolume);
        var aws = await AwsAsync(outputs.GetValueOrDefault("region"));
        var volume = await new DataVolumes(aws.Ec2, aws.Region).GetAsync(volumeId, CancellationToken);
        var created = await AwsErrors.Call("ec2:CreateSnapshot", () => aws.Ec2.CreateSnapshotAsync(new CreateSnapshotRequest
        {
            VolumeId = volumeId,
            Description = purpose.Description,
            TagSpecifications =
            [
                new TagSpecification
                {
                    ResourceType = ResourceType.Snapshot,
                    Tags =
                    [
                        new Tag(OpenClawTags.Data, "true"), new Tag(OpenClawTags.Stack, Stack),
                        new Tag(OpenClawTags.Az, volume.AvailabilityZone), new Tag(OpenClawTags.CreatedBy, OpenClawTags.ManualFinal),
                    ],
                },
            ],
        }, CancellationToken));
        var snapshotId = created.Snapshot.SnapshotId;
        Log.Information($"Started snapshot {snapshotId} of {volumeId} ({volume.Size} GiB, {volume.AvailabilityZone}).");

        var catalog = Catalog(aws);
        await Waiter.WaitAsync(Console, $"Snapshot {snapshotId}", PollInterval, WaitTimeout, async () =>
        {
            var snapshot = await catalog.GetAsync(snapshotId, CancellationToken);
            if (snapshot.State == SnapshotState.Error)
                throw new BuildException($"Snapshot {snapshotId} failed (state error: {snapshot.StateMessage ?? "no reason given"}); nothing was {purpose.Spared} — run {purpose.Target} again.");
            return new WaitState(snapshot.State == SnapshotState.Completed, Percent(snapshot.Progress), snapshot.State?.Value ?? "?");
        }, state => $"Snapshot {snapshotId} is still {state.Status} ({state.Percent:0}%) after {WaitTimeout}; nothing was {purpose.Spared} — wait and run {purpose.Target} again, or raise --wait-timeout.", CancellationToken);

        Log.Information($"{purpose.Name} {snapshotId} is completed (tags OpenClawStack={Stack}, OpenClawAz={volume.AvailabilityZone}, CreatedBy=manual-final).");
        return snapshotId;
    }

    /// <summary>Why the data volume is snapshotted: its description, its name in messages, the target to run again, what was spared on failure.</summary>
    sealed record SnapshotPurpose(string Description, string Name, string Target, string Spared, string NoVolume);

    Target VerifyDlm => _ => _
        .Description("Checks the stack's DLM policy is enabled and the newest snapshot is on schedule.")
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var snapshots = Catalog(aws).ForStackAsync(Stack, CancellationToken);
            var policies = await StackPoliciesAsync(aws);
            if (policies.Count == 0)
                throw new BuildException($"No DLM policy in {aws.Region} targets OpenClawStack={Stack}, so no scheduled snapshots are taken; Deploy the stack (it creates the policy) or check --region.");

            var table = new Table().Border(TableBorder.Simple).Title($"DLM policies of stack {Stack}")
                .AddColumns("Policy", "State", "Schedule", "Retention", "Description");
            foreach (var policy in policies)
                table.AddRow(policy.PolicyId, policy.State ?? "?", string.Join("; ", policy.Schedules.Select(s => s.CreateRule?.Text)),
                    string.Join("; ", policy.Schedules.Select(s => s.RetainRule?.Text)), Markup.Escape(policy.Description ?? ""));
            Console.Write(table);

            var enabled = policies.FirstOrDefault(p => p.State == "ENABLED")
                ?? throw new BuildException($"DLM policy {policies[0].PolicyId} of stack {Stack} is {policies[0].State}, so no snapshots are taken; Deploy the stack again to enable it.");
            var newest = SnapshotCatalog.NewestCompleted(await snapshots);
            var period = enabled.ShortestPeriod;
            if (newest is null)
                Log.Warning($"Stack {Stack} has no completed snapshot yet; the policy takes the first {enabled.Schedules.FirstOrDefault()?.CreateRule?.Text}.");
            else if (period is { } p && SnapshotAge(newest) > p + OnScheduleSlack)
                Log.Warning($"Newest snapshot {newest.SnapshotId} is {Age(SnapshotAge(newest))} old, more than the schedule's {Age(p)}: check the policy's status in the DLM console.");
            else
                Log.Information($"Newest snapshot {newest.SnapshotId} is {Age(SnapshotAge(newest))} old" + (period is { } q ? $"; the schedule takes one every {Age(q)}: on schedule." : "."));
        });

    Target CleanupSnapshots => _ => _
        .Description("Deletes manual final snapshots by id or age, never the newest completed one nor the one the stack restores from.")
        .Executes(async () =>
        {
            foreach (var id in SnapshotIds ?? []) SnapshotCatalog.RequireWellFormed(id);
            var aws = await AwsAsync();
            var snapshots = await Catalog(aws).ManualFinalAsync(Stack, CancellationToken);
            var kept = SnapshotCatalog.NewestCompleted(snapshots);
            var restoreSource = DeletionAsked ? await StackState.GetConfigAsync("data_volume_snapshot_id", CancellationToken) : null;
            var doomed = ChooseSnapshotsToDelete(snapshots, kept, restoreSource);

            var table = new Table().Border(TableBorder.Simple).Title($"Manual final snapshots of stack {Stack} in {aws.Region}")
                .AddColumns("Started (UTC)", "Snapshot", "State").AddColumn(new TableColumn("Age").RightAligned()).AddColumns("Description", "Action");
            foreach (var s in snapshots)
                table.AddRow(Utc(s.StartTime), s.SnapshotId, StateText(s), Age(SnapshotAge(s)), Markup.Escape(s.Description ?? ""),
                    s == kept ? "keep (newest completed)" : s.SnapshotId == restoreSource ? "keep (the stack restores from it)" : doomed.Contains(s) ? "[red]delete[/]" : "keep");
            Console.Write(table);

            if (!DeletionAsked)
                Log.Information("Nothing deleted: name snapshots with --snapshot-ids or an age with --older-than.");
            else if (doomed.Count == 0)
                Log.Information("No manual final snapshot matches; nothing deleted.");
            if (doomed.Count == 0 || !ConfirmDeletion(doomed.Count)) return;
            foreach (var s in doomed)
            {
                await AwsErrors.Call("ec2:DeleteSnapshot", () => aws.Ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = s.SnapshotId }, CancellationToken));
                Log.Information($"Deleted {s.SnapshotId} ({Utc(s.StartTime)} UTC).");
            }
        });

    bool DeletionAsked => SnapshotIds is { Length: > 0 } || OlderThan is not null;

    /// <summary>
    /// Named ids (all must be this stack's manual final snapshots) and/or older than --older-than (both: both must hold);
    /// never the newest completed one, nor the one the stack config restores its data volume from.
    /// </summary>
    List<Snapshot> ChooseSnapshotsToDelete(List<Snapshot> snapshots, Snapshot? kept, string? restoreSource)
    {
        if (!DeletionAsked) return [];
        IEnumerable<Snapshot> chosen = snapshots;
        if (SnapshotIds is { Length: > 0 } ids)
        {
            foreach (var id in ids)
            {
                if (snapshots.All(s => s.SnapshotId != id))
                    throw new BuildException($"{id} is not a manual final snapshot of stack {Stack} (CreatedBy=manual-final, OpenClawStack={Stack}); CleanupSnapshots deletes only those, nothing was deleted.");
                if (kept?.SnapshotId == id)
                    throw new BuildException($"{id} is the newest completed final snapshot of stack {Stack}; CleanupSnapshots never deletes it, nothing was deleted.");
                if (restoreSource == id)
                    throw new BuildException($"{id} is what stack {Stack} restores its data volume from (data_volume_snapshot_id); CleanupSnapshots never deletes it, nothing was deleted.");
            }
            chosen = chosen.Where(s => ids.Contains(s.SnapshotId));
        }
        if (OlderThan is { } age) chosen = chosen.Where(s => SnapshotAge(s) > age);
        return chosen.Where(s => s != kept && s.SnapshotId != restoreSource).ToList();
    }

    bool ConfirmDeletion(int count)
    {
        if (Yes) return true;
        if (!Console.Profile.Capabilities.Interactive)
            throw new BuildException($"CleanupSnapshots would delete {count} snapshot(s) and there is no terminal to confirm on: pass --yes to delete them.");
        if (Console.Confirm($"Delete {count} snapshot(s)?", defaultValue: false)) return true;
        Log.Information("Not confirmed; nothing deleted.");
        return false;
    }

    /// <summary>A snapshot the stack can restore: this stack's, completed, tagged with its AZ.</summary>
    async Task<Snapshot> RestorableSnapshotAsync(AwsSession aws, string idOrLatest)
    {
        var catalog = Catalog(aws);
        if (idOrLatest.Equals("latest", StringComparison.OrdinalIgnoreCase))
            return (await catalog.ForStackAsync(Stack, CancellationToken)).FirstOrDefault(s => s.State == SnapshotState.Completed && s.Tag(OpenClawTags.Az) is not null)
                ?? throw new BuildException($"Stack {Stack} has no completed snapshot tagged OpenClawAz in {aws.Region}; see ./build.sh Snapshots --stack {Stack}.");

        var snapshot = await catalog.GetAsync(idOrLatest, CancellationToken);
        var id = snapshot.SnapshotId;
        if (snapshot.Tag(OpenClawTags.Data) != "true")
            throw new BuildException($"Snapshot {id} is not an OpenClaw data snapshot (no OpenClawData=true tag); pick one from ./build.sh Snapshots.");
        if (snapshot.Tag(OpenClawTags.Stack) is var owner && owner != Stack)
            throw new BuildException($"Snapshot {id} belongs to stack {owner ?? "(untagged)"}, not {Stack}; restore it with --stack {owner}, or pick one of {Stack}'s.");
        if (snapshot.State == SnapshotState.Pending)
            throw new BuildException($"Snapshot {id} is still pending ({snapshot.Progress ?? "0%"}); wait until it is completed (./build.sh Snapshots) and run Restore again.");
        if (snapshot.State != SnapshotState.Completed)
            throw new BuildException($"Snapshot {id} is in state {snapshot.State?.Value} ({snapshot.StateMessage ?? "no reason given"}) and cannot be restored; pick another.");
        if (snapshot.Tag(OpenClawTags.Az) is null)
            throw new BuildException($"Snapshot {id} has no OpenClawAz tag, so the stack cannot know where to create the volume; tag it OpenClawAz=<az> or pick another.");
        return snapshot;
    }

    /// <summary>The DLM policies whose target tags name this stack.</summary>
    async Task<List<DlmPolicy>> StackPoliciesAsync(AwsSession aws)
    {
        var summaries = await aws.Dlm.GetPoliciesAsync($"{OpenClawTags.Stack}={Stack}", CancellationToken);
        var policies = await Task.WhenAll(summaries.Select(s => aws.Dlm.GetPolicyAsync(s.PolicyId, CancellationToken)));
        return policies.Where(p => p.Targets(OpenClawTags.Stack, Stack)).OrderBy(p => p.State == "ENABLED" ? 0 : 1).ToList();
    }

    static readonly TimeSpan OnScheduleSlack = TimeSpan.FromHours(1);

    SnapshotCatalog Catalog(AwsSession aws) => new(aws.Ec2, aws.Region);

    static TimeSpan SnapshotAge(Snapshot s) => DateTime.UtcNow - (s.StartTime?.ToUniversalTime() ?? DateTime.UtcNow);

    static string StateText(Snapshot s) => s.State == SnapshotState.Pending ? $"pending {s.Progress}" : s.State?.Value ?? "";

    static double Percent(string? progress) =>
        double.TryParse(progress?.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0;

    static string Age(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays}d" + (age.Hours > 0 ? $" {age.Hours}h" : "")
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h" + (age.Minutes > 0 ? $" {age.Minutes}m" : "")
        : $"{Math.Max(0, (int)age.TotalMinutes)}m";
}
