using Amazon.EC2.Model;
using BuildEngine;

/// <summary>
/// Which manual final snapshots CleanupSnapshots deletes: never the newest completed one, nor the one the stack restores from,
/// nor one still in progress unless <paramref name="IncludePending"/>.
/// </summary>
public sealed record SnapshotCleanup(string Stack, string[]? SnapshotIds, TimeSpan? OlderThan, DateTime Now, bool IncludePending = false)
{
    public bool DeletionAsked => SnapshotIds is { Length: > 0 } || OlderThan is not null;

    /// <summary>
    /// Named ids (all must be this stack's manual final snapshots) and/or older than --older-than (both: both must hold);
    /// never <paramref name="kept"/>, nor <paramref name="restoreSource"/>.
    /// </summary>
    public List<Snapshot> Choose(List<Snapshot> snapshots, Snapshot? kept, string? restoreSource)
    {
        if (!DeletionAsked) return [];
        IEnumerable<Snapshot> chosen = snapshots;
        if (SnapshotIds is { Length: > 0 } ids)
        {
            foreach (var id in ids) RequireDeletable(id, snapshots, kept, restoreSource);
            chosen = chosen.Where(s => ids.Contains(s.SnapshotId));
        }
        if (OlderThan is { } age) chosen = chosen.Where(s => SnapshotCatalog.AgeOf(s, Now) > age);
        return chosen.Where(s => s != kept && s.SnapshotId != restoreSource && (IncludePending || !IsPending(s))).ToList();
    }

    void RequireDeletable(string id, List<Snapshot> snapshots, Snapshot? kept, string? restoreSource)
    {
        if (snapshots.All(s => s.SnapshotId != id))
            throw new BuildException($"{id} is not a manual final snapshot of stack {Stack} ({Contract.Tag.CreatedBy}={Contract.TagValue.CreatedByManualFinal}, " +
                                     $"{Contract.Tag.Stack}={Stack}); CleanupSnapshots deletes only those, nothing was deleted.");
        if (kept?.SnapshotId == id)
            throw new BuildException($"{id} is the newest completed final snapshot of stack {Stack}; CleanupSnapshots never deletes it, nothing was deleted.");
        if (restoreSource == id)
            throw new BuildException($"{id} is what stack {Stack} restores its data volume from ({Contract.Config.DataVolumeSnapshotId}); CleanupSnapshots never deletes it, nothing was deleted.");
        if (!IncludePending && snapshots.First(s => s.SnapshotId == id) is var named && IsPending(named))
            throw new BuildException($"{id} is still in progress (pending {named.Progress}); CleanupSnapshots deletes a pending snapshot only with --include-pending, nothing was deleted.");
    }

    static bool IsPending(Snapshot s) => s.State == Amazon.EC2.SnapshotState.Pending;

    /// <summary>What the table shows for a snapshot.</summary>
    public static string Action(Snapshot s, Snapshot? kept, string? restoreSource, List<Snapshot> doomed) =>
        s == kept ? "keep (newest completed)" : s.SnapshotId == restoreSource ? "keep (the stack restores from it)" : doomed.Contains(s) ? "[red]delete[/]"
        : IsPending(s) ? "keep (in progress)" : "keep";
}
