using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>Snapshots of the data volume: restore candidates, restore, the final snapshot before Destroy, DLM, cleanup.</summary>
partial class Build
{
    [Parameter("Restore: the snapshot to restore the data volume from (snap-... or latest).")]
    [Matches($"{SnapshotCatalog.IdPattern}|(?i:latest)", "a snapshot id (snap- and 8 or 17 hex digits) or latest")]
    readonly string? Snapshot;

    [Parameter("CleanupSnapshots: manual final snapshots to delete (space separated snap-... ids).")]
    [NotEmpty, Matches(SnapshotCatalog.IdPattern, SnapshotCatalog.IdAccepted)]
    readonly string[]? SnapshotIds;

    [Parameter("CleanupSnapshots: delete manual final snapshots older than this (e.g. 30d, 12h).")]
    [Positive]
    readonly TimeSpan? OlderThan;

    [Parameter("CleanupSnapshots: also delete snapshots still in progress (pending); without it they are always kept.")]
    readonly bool IncludePending;

    [Parameter("FinalSnapshot, DetachVolume, BackupNow, OpenClaw: how long to wait for AWS (or the command on the instance) to finish before failing.")]
    [Positive]
    readonly TimeSpan WaitTimeout = TimeSpan.FromHours(1);

    /// <summary>Set by FinalSnapshot once its snapshot is completed; Destroy requires it (or --skip FinalSnapshot).</summary>
    internal string? CompletedFinalSnapshotId;

    Target Snapshots => _ => _
        .Description("Lists the stack's restore candidates, newest first.")
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var snapshots = await Catalog(aws).ForStackAsync(Stack, CancellationToken);
            var table = new Table().Border(TableBorder.Simple).Title($"Snapshots of stack {Stack} in {aws.Region}")
                .AddColumns("Started (UTC)", "Snapshot", Contract.Tag.Az, "State").AddColumn(new TableColumn("Size").RightAligned()).AddColumn(Contract.Tag.CreatedBy);
            foreach (var s in snapshots)
                table.AddRow(Utc(s.StartTime), s.SnapshotId, s.Tag(Contract.Tag.Az) ?? "(none)", StateText(s), $"{s.VolumeSize} GiB", s.Tag(Contract.Tag.CreatedBy) ?? "");
            WriteResult(new
            {
                Stack, aws.Region,
                Snapshots = snapshots.Select(s => new
                {
                    s.SnapshotId, StartTime = s.StartTime?.ToUniversalTime(), State = s.State?.Value, s.Progress, SizeGiB = s.VolumeSize,
                    AvailabilityZone = s.Tag(Contract.Tag.Az), TakenBy = s.Tag(Contract.Tag.CreatedBy),
                }),
            }, () => Console.Write(table));
            if (snapshots.Count == 0) Log.Warning($"Stack {Stack} has no snapshots in {aws.Region} ({Contract.Tag.Data}={Contract.TagValue.Data}, {Contract.Tag.Stack}={Stack}).");
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
            var snapshot = await Catalog(aws).RestorableAsync(Snapshot!, Stack, CancellationToken);
            var zone = snapshot.Tag(Contract.Tag.Az)!;
            await StackState.SetConfigAsync(Contract.Config.DataVolumeSnapshotId, snapshot.SnapshotId, cancellationToken: CancellationToken);
            await StackState.SetConfigAsync(Contract.Config.AvailabilityZone, zone, cancellationToken: CancellationToken);
            await Run.PinRegionAsync(aws.Region);
            Log.Information($"Stack {Stack} restores its data volume from {snapshot.SnapshotId} ({Utc(snapshot.StartTime)} UTC) in {zone}; Deploy follows.");
        });

    Target FinalSnapshot => _ => _
        .Description("Snapshots the data volume and waits until it is completed (runs before Destroy).")
        .OnlyWhenStatic(() => HasDataVolume, EphemeralSkipReason)
        .Executes(async () =>
        {
            if (MoveSkipsFinalSnapshot()) return;
            // Ask before the snapshot, not after it: a refused Destroy should not leave a snapshot behind.
            if (IsScheduled(Destroy))
            {
                ConfirmDestroy();
                await BackupBeforeSnapshotAsync(spared: "destroyed");
            }
            else if (IsScheduled(Move)) await Instance.BackupBeforeSnapshotAsync();
            CompletedFinalSnapshotId = await SnapshotDataVolumeAsync(
                IsScheduled(Move) ? MovePurpose : new SnapshotPurpose($"openclaw final snapshot before destroy (stack {Stack})", "Final snapshot", Invoked, "destroyed"),
                $"Stack {Stack} has no {Contract.Output.DataVolumeId} output (never deployed?), so there is nothing to snapshot; pass --skip FinalSnapshot to destroy without one.");
        });

    Target VerifyDlm => _ => _
        .Description("Checks the stack's DLM policy is enabled and the newest snapshot is on schedule.")
        .Executes(async () =>
        {
            if (DeployedPersistence == Contract.Persistence.Ephemeral)
            {
                Log.Information($"Stack {Stack} is deployed with {Contract.Config.Persistence}: {Contract.Persistence.Ephemeral}: no data volume, so no DLM policy " +
                                "and no snapshots to verify (its state lives on the instance's root volume).");
                return;
            }
            var aws = await AwsAsync();
            var snapshots = Catalog(aws).ForStackAsync(Stack, CancellationToken);
            var policies = await new SnapshotPolicies(aws.Dlm).ForStackAsync(Stack, CancellationToken);
            if (policies.Count == 0)
                throw new BuildException($"No DLM policy in {aws.Region} targets {Contract.Tag.Stack}={Stack}, so no scheduled snapshots are taken; Deploy the stack (it creates the policy) or check --region.");
            WriteDlmPolicies(policies);
            var enabled = policies.FirstOrDefault(p => p.State == "ENABLED")
                ?? throw new BuildException($"DLM policy {policies[0].PolicyId} of stack {Stack} is {policies[0].State}, so no snapshots are taken; Deploy the stack again to enable it.");
            ReportSchedule(enabled, SnapshotCatalog.NewestCompleted(await snapshots));
        });

    Target CleanupSnapshots => _ => _
        .Description("Deletes manual final snapshots by id or age, never the newest completed one, the one the stack restores from, nor one in progress.")
        .Executes(async () =>
        {
            var aws = await AwsAsync();
            var cleanup = new SnapshotCleanup(Stack, SnapshotIds, OlderThan, Now, IncludePending);
            var snapshots = await Catalog(aws).ManualFinalAsync(Stack, CancellationToken);
            var kept = SnapshotCatalog.NewestCompleted(snapshots);
            var restoreSource = cleanup.DeletionAsked ? await StackState.GetConfigAsync(Contract.Config.DataVolumeSnapshotId, CancellationToken) : null;
            var doomed = cleanup.Choose(snapshots, kept, restoreSource);
            WriteCleanupTable(snapshots, s => SnapshotCleanup.Action(s, kept, restoreSource, doomed), aws.Region);

            if (!cleanup.DeletionAsked) Log.Information("Nothing deleted: name snapshots with --snapshot-ids or an age with --older-than.");
            else if (doomed.Count == 0) Log.Information("No manual final snapshot matches; nothing deleted.");
            if (doomed.Count == 0 || !ConfirmDeletion(doomed.Count)) return;
            foreach (var s in doomed)
            {
                await Catalog(aws).DeleteAsync(s.SnapshotId, CancellationToken);
                Log.Information($"Deleted {s.SnapshotId} ({Utc(s.StartTime)} UTC).");
            }
        });

    /// <summary>Snapshots the stack's data volume (data_volume_id output) and waits until it is completed; returns its id.</summary>
    async Task<string> SnapshotDataVolumeAsync(SnapshotPurpose purpose, string noVolume)
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId) throw new BuildException(noVolume);
        var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
        return await new DataVolumeSnapshots(aws, Waiting, CancellationToken).TakeAsync(volumeId, Stack, purpose);
    }

    /// <summary>The targets the operator named (Destroy, not the FinalSnapshot it depends on): what resumes an interrupted run.</summary>
    string Invoked => string.Join(" ", InvokedTargets.Select(t => t.Name));

    /// <summary>The backup to S3 before a snapshot that precedes losing the volume; Ctrl+C during it says that nothing was <paramref name="spared"/>, and what resumes.</summary>
    Task BackupBeforeSnapshotAsync(string spared) => Instance.BackupBeforeSnapshotAsync(
        $"nothing was snapshotted nor {spared}; ./build.sh {Invoked} --stack {Stack} resumes (its backup joins the one still running).");

    /// <summary>Between two polls while waiting for AWS (snapshots, detaching, remote commands, followed logs).</summary>
    static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    Waiting Waiting => new(Console, Time, PollInterval, WaitTimeout);

    DateTime Now => Time.GetUtcNow().UtcDateTime;

    SnapshotCatalog Catalog(AwsSession aws) => new(aws.Ec2, aws.Region);

    void WriteDlmPolicies(List<DlmPolicy> policies)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"DLM policies of stack {Stack}")
            .AddColumns("Policy", "State", "Schedule", "Retention", "Description");
        foreach (var policy in policies)
            table.AddRow(policy.PolicyId, policy.State ?? "?", string.Join("; ", policy.Schedules.Select(s => s.CreateRule?.Text)),
                string.Join("; ", policy.Schedules.Select(s => s.RetainRule?.Text)), Markup.Escape(policy.Description ?? ""));
        Console.Write(table);
    }

    void ReportSchedule(DlmPolicy enabled, Amazon.EC2.Model.Snapshot? newest)
    {
        var period = enabled.ShortestPeriod;
        if (newest is null)
            Log.Warning($"Stack {Stack} has no completed snapshot yet; the policy takes the first {enabled.Schedules.FirstOrDefault()?.CreateRule?.Text}.");
        else if (period is { } p && SnapshotCatalog.AgeOf(newest, Now) > p + SnapshotPolicies.OnScheduleSlack)
            Log.Warning($"Newest snapshot {newest.SnapshotId} is {Age(SnapshotCatalog.AgeOf(newest, Now))} old, more than the schedule's {Age(p)}: check the policy's status in the DLM console.");
        else
            Log.Information($"Newest snapshot {newest.SnapshotId} is {Age(SnapshotCatalog.AgeOf(newest, Now))} old" + (period is { } q ? $"; the schedule takes one every {Age(q)}: on schedule." : "."));
    }

    void WriteCleanupTable(List<Amazon.EC2.Model.Snapshot> snapshots, Func<Amazon.EC2.Model.Snapshot, string> action, string region)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"Manual final snapshots of stack {Stack} in {region}")
            .AddColumns("Started (UTC)", "Snapshot", "State").AddColumn(new TableColumn("Age").RightAligned()).AddColumns("Description", "Action");
        foreach (var s in snapshots)
            table.AddRow(Utc(s.StartTime), s.SnapshotId, StateText(s), Age(SnapshotCatalog.AgeOf(s, Now)), Markup.Escape(s.Description ?? ""), action(s));
        Console.Write(table);
    }

    bool ConfirmDeletion(int count)
    {
        if (Confirmation.Ask($"Delete {count} snapshot(s)?",
                $"CleanupSnapshots would delete {count} snapshot(s) and there is no terminal to confirm on: pass --yes to delete them.")) return true;
        Log.Information("Not confirmed; nothing deleted.");
        return false;
    }
}
