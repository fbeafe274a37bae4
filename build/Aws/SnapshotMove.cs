using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;
using static Formats;

/// <summary>
/// Move's acknowledged step through the AZ guardrail: an in-region copy of the data snapshot tagged for the new AZ
/// (<c>OpenClawAz=&lt;new az&gt;</c>) with <c>OpenClawMovedFrom=&lt;old az&gt;/&lt;source snapshot&gt;</c>, so the record of the move
/// stays on the snapshot the stack restores from, and infra's guardrail (OpenClawAz must equal availability_zone) stays
/// as it is: any other snapshot of another AZ is still refused.
/// </summary>
public sealed class SnapshotMove(AwsSession aws, Waiting waiting, CancellationToken cancellationToken)
{
    SnapshotCatalog Catalog => new(aws.Ec2, aws.Region);

    /// <summary>
    /// What the move restores from: <paramref name="snapshotId"/> (FinalSnapshot's, completed) or else the newest completed
    /// snapshot of the stack in this region; refuses when there is none, or when a newer one is still pending (its data is newer).
    /// </summary>
    public async Task<Snapshot> SourceAsync(string stack, string? snapshotId, string rerun, string? noneHint = null)
    {
        if (snapshotId is not null) return await Catalog.GetAsync(snapshotId, cancellationToken);
        var snapshots = (await Catalog.ForStackAsync(stack, cancellationToken)).Where(s => s.Tag(Contract.Tag.Az) is not null).ToList();
        // A Move copy still in progress holds its source's data, nothing newer: it neither blocks nor serves as the source.
        var newest = snapshots.FirstOrDefault(s => s.State != SnapshotState.Error && !(s.State == SnapshotState.Pending && s.Tag(Contract.Tag.MovedFrom) is not null));
        if (newest is null)
            throw new BuildException($"Stack {stack} has no snapshot in {aws.Region} to move its data from ({Contract.Tag.Stack}={stack}, tagged {Contract.Tag.Az}); nothing was changed. " +
                                     (noneHint ?? $"See ./build.sh Snapshots --stack {stack}, or start without data in another AZ: ./build.sh ConfigureAz --availability-zone <az>."));
        if (newest.State == SnapshotState.Pending)
            throw new BuildException($"The newest snapshot of stack {stack}, {newest.SnapshotId}, is still pending ({newest.Progress ?? "0%"}, started {Utc(newest.StartTime)} UTC); " +
                                     $"moving from an older one would lose its data. Wait until it is completed (./build.sh Snapshots --stack {stack}), then run {rerun} again.");
        return newest;
    }

    /// <summary>The value of the MovedFrom tag for a copy of <paramref name="source"/>: &lt;its AZ&gt;/&lt;its id&gt;.</summary>
    public static string MovedFrom(Snapshot source) => $"{source.Tag(Contract.Tag.Az)}/{source.SnapshotId}";

    /// <summary>
    /// Copies <paramref name="source"/> (in this region) for <paramref name="zone"/> and waits until the copy is completed; a copy an
    /// interrupted Move started (same MovedFrom, same AZ) is waited for instead of started again. Returns the copy's id.
    /// </summary>
    public async Task<string> CopyForZoneAsync(Snapshot source, string stack, string zone, string resume)
    {
        var movedFrom = MovedFrom(source);
        var earlier = await AwsErrors.Call("ec2:DescribeSnapshots", () => aws.Ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest
        {
            OwnerIds = ["self"],
            Filters = [OpenClawTags.TagFilter(Contract.Tag.MovedFrom, movedFrom), OpenClawTags.TagFilter(Contract.Tag.Az, zone), OpenClawTags.TagFilter(Contract.Tag.Stack, stack)],
        }, cancellationToken));
        string copyId;
        if ((earlier.Snapshots ?? []).FirstOrDefault(s => s.State != SnapshotState.Error) is { } started)
        {
            copyId = started.SnapshotId;
            Log.Information($"Copy {copyId} of {source.SnapshotId} for {zone} was started earlier ({StateText(started)}); using it instead of copying again.");
        }
        else
        {
            var copied = await AwsErrors.Call("ec2:CopySnapshot", () => aws.Ec2.CopySnapshotAsync(new CopySnapshotRequest
            {
                SourceRegion = aws.Region,
                SourceSnapshotId = source.SnapshotId,
                Description = $"openclaw Move of stack {stack} to {zone}: copy of {source.SnapshotId} ({source.Tag(Contract.Tag.Az)})",
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = MovedTags(stack, zone, movedFrom) }],
            }, cancellationToken));
            copyId = copied.SnapshotId;
            Log.Information($"Started copy {copyId} of {source.SnapshotId} ({source.VolumeSize} GiB) tagged {Contract.Tag.Az}={zone}, {Contract.Tag.MovedFrom}={movedFrom}.");
        }
        await Waiter.WaitAsync(waiting, $"Copy {copyId}", async () =>
        {
            var copy = await Catalog.GetAsync(copyId, cancellationToken);
            if (copy.State == SnapshotState.Error)
                throw new BuildException($"Copy {copyId} of {source.SnapshotId} failed (state error: {copy.StateMessage ?? "no reason given"}); the stack was not changed — run {resume} again.");
            return new WaitState(copy.State == SnapshotState.Completed, Percent(copy.Progress), copy.State?.Value ?? "?");
        }, state => $"Copy {copyId} is still {state.Status} ({state.Percent:0}%) after {waiting.Timeout}; the stack was not changed — run {resume} again to wait for it, or raise --wait-timeout.",
        state => $"Interrupted: copy {copyId} of {source.SnapshotId} is still in progress in AWS{(state is { } s ? $" ({s.Percent:0}%)" : "")} and the stack was not changed; " +
                 $"{resume} resumes waiting for it.", cancellationToken);
        Log.Information($"Copy {copyId} is completed: stack {stack} can restore from it in {zone}.");
        return copyId;
    }

    /// <summary>The contract's snapshot tags for the new AZ, taken by the runbook, with the record of where it came from.</summary>
    public static List<Tag> MovedTags(string stack, string zone, string movedFrom) =>
        [.. OpenClawTags.ManualSnapshotTags(stack, zone), new Tag(Contract.Tag.MovedFrom, movedFrom)];
}
