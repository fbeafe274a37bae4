using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>The stack's snapshots in EC2: restore candidates, manual final snapshots, one snapshot by id.</summary>
public sealed partial class SnapshotCatalog(IAmazonEC2 ec2, string region)
{
    /// <summary>An EC2 snapshot id: snap- and 8 or 17 hex digits.</summary>
    public const string IdPattern = "snap-(?:[0-9a-f]{8}|[0-9a-f]{17})";
    public const string IdAccepted = "snapshot ids (snap- and 8 or 17 hex digits, e.g. snap-0123456789abcdef0)";

    /// <summary>Restore candidates: own snapshots tagged OpenClawData=true and OpenClawStack=&lt;stack&gt;, newest first.</summary>
    public Task<List<Snapshot>> ForStackAsync(string stack, CancellationToken cancellationToken) =>
        DescribeAsync([OpenClawTags.TagFilter(Contract.Tag.Data, Contract.TagValue.Data), OpenClawTags.TagFilter(Contract.Tag.Stack, stack)], cancellationToken);

    /// <summary>The stack's snapshots taken by the runbook (CreatedBy=manual-final), newest first.</summary>
    public Task<List<Snapshot>> ManualFinalAsync(string stack, CancellationToken cancellationToken) =>
        DescribeAsync([OpenClawTags.TagFilter(Contract.Tag.CreatedBy, Contract.TagValue.CreatedByManualFinal), OpenClawTags.TagFilter(Contract.Tag.Stack, stack)], cancellationToken);

    /// <summary>
    /// A snapshot the stack can restore: "latest" (the newest completed one tagged with its AZ) or an id that is this
    /// stack's, completed and tagged with its AZ; otherwise one sentence saying why not.
    /// </summary>
    public async Task<Snapshot> RestorableAsync(string idOrLatest, string stack, CancellationToken cancellationToken)
    {
        var (data, owner, az) = (Contract.Tag.Data, Contract.Tag.Stack, Contract.Tag.Az);
        if (idOrLatest.Equals("latest", StringComparison.OrdinalIgnoreCase))
            return (await ForStackAsync(stack, cancellationToken)).FirstOrDefault(s => s.State == SnapshotState.Completed && s.Tag(az) is not null)
                ?? throw new BuildException($"Stack {stack} has no completed snapshot tagged {az} in {region}; see ./build.sh Snapshots --stack {stack}.");

        var snapshot = await GetAsync(idOrLatest, cancellationToken);
        var id = snapshot.SnapshotId;
        if (snapshot.Tag(data) != Contract.TagValue.Data)
            throw new BuildException($"Snapshot {id} is not an OpenClaw data snapshot (no {data}={Contract.TagValue.Data} tag); pick one from ./build.sh Snapshots.");
        if (snapshot.Tag(owner) is var ownerStack && ownerStack != stack)
            throw new BuildException($"Snapshot {id} belongs to stack {ownerStack ?? "(untagged)"}, not {stack}; restore it with --stack {ownerStack}, or pick one of {stack}'s.");
        if (snapshot.State == SnapshotState.Pending)
            throw new BuildException($"Snapshot {id} is still pending ({snapshot.Progress ?? "0%"}); wait until it is completed (./build.sh Snapshots) and run Restore again.");
        if (snapshot.State != SnapshotState.Completed)
            throw new BuildException($"Snapshot {id} is in state {snapshot.State?.Value} ({snapshot.StateMessage ?? "no reason given"}) and cannot be restored; pick another.");
        if (snapshot.Tag(az) is null)
            throw new BuildException($"Snapshot {id} has no {az} tag, so the stack cannot know where to create the volume; tag it {az}=<az> or pick another.");
        return snapshot;
    }

    /// <summary>The first completed snapshot of a newest-first list (what the lists above return).</summary>
    public static Snapshot? NewestCompleted(IEnumerable<Snapshot> newestFirst) => newestFirst.FirstOrDefault(s => s.State == SnapshotState.Completed);

    /// <summary>How long before <paramref name="now"/> (UTC) the snapshot was started.</summary>
    public static TimeSpan AgeOf(Snapshot s, DateTime now) => now - (s.StartTime?.ToUniversalTime() ?? now);

    /// <summary>One snapshot by id; a malformed id fails before any call, an unknown one with a sentence.</summary>
    public async Task<Snapshot> GetAsync(string snapshotId, CancellationToken cancellationToken)
    {
        RequireWellFormed(snapshotId);
        try
        {
            var response = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] }, cancellationToken);
            return (response.Snapshots ?? []).FirstOrDefault() ?? throw NotFound(snapshotId);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode is "InvalidSnapshot.NotFound")
        {
            throw NotFound(snapshotId);
        }
        catch (Exception e) when (AwsErrors.Explain("ec2:DescribeSnapshots", e) is { } explained)
        {
            throw explained;
        }
    }

    public Task DeleteAsync(string snapshotId, CancellationToken cancellationToken) =>
        AwsErrors.Call("ec2:DeleteSnapshot", () => ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken));

    public static void RequireWellFormed(string snapshotId)
    {
        if (!SnapshotIdPattern().IsMatch(snapshotId))
            throw new BuildException($"'{snapshotId}' is not a snapshot id (snap- and 8 or 17 hex digits, e.g. snap-0123456789abcdef0).");
    }

    async Task<List<Snapshot>> DescribeAsync(List<Filter> filters, CancellationToken cancellationToken)
    {
        var request = new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = filters, MaxResults = 1000 };
        var snapshots = await AwsErrors.Call("ec2:DescribeSnapshots", async () =>
        {
            var all = new List<Snapshot>();
            await foreach (var snapshot in ec2.Paginators.DescribeSnapshots(request).Snapshots.WithCancellation(cancellationToken))
                all.Add(snapshot);
            return all;
        });
        return snapshots.OrderByDescending(s => s.StartTime).ToList();
    }

    BuildException NotFound(string snapshotId) => new($"Snapshot {snapshotId} does not exist in {region} (or is not visible to this account); list the candidates with ./build.sh Snapshots.");

    [GeneratedRegex($@"^{IdPattern}\z")]
    private static partial Regex SnapshotIdPattern();
}
