using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>The stack's snapshots in EC2: restore candidates, manual final snapshots, one snapshot by id.</summary>
public sealed partial class SnapshotCatalog(IAmazonEC2 ec2, string region)
{
    /// <summary>Restore candidates: own snapshots tagged OpenClawData=true and OpenClawStack=&lt;stack&gt;, newest first.</summary>
    public Task<List<Snapshot>> ForStackAsync(string stack, CancellationToken cancellationToken) =>
        DescribeAsync([OpenClawTags.TagFilter(OpenClawTags.Data, "true"), OpenClawTags.TagFilter(OpenClawTags.Stack, stack)], cancellationToken);

    /// <summary>The stack's snapshots taken by FinalSnapshot (CreatedBy=manual-final), newest first.</summary>
    public Task<List<Snapshot>> ManualFinalAsync(string stack, CancellationToken cancellationToken) =>
        DescribeAsync([OpenClawTags.TagFilter(OpenClawTags.CreatedBy, OpenClawTags.ManualFinal), OpenClawTags.TagFilter(OpenClawTags.Stack, stack)], cancellationToken);

    /// <summary>The first completed snapshot of a newest-first list (what the lists above return).</summary>
    public static Snapshot? NewestCompleted(IEnumerable<Snapshot> newestFirst) => newestFirst.FirstOrDefault(s => s.State == SnapshotState.Completed);

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

    [GeneratedRegex("^snap-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex SnapshotIdPattern();
}
