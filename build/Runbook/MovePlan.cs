using Amazon.EC2.Model;
using static Formats;

/// <summary>How Move picks the AZ without --availability-zone.</summary>
public enum MoveTo { Best }

/// <summary>Where Move goes: from the stack's AZ (and region) to another, what it moves from when there is no final snapshot, and how to run it again.</summary>
sealed record MovePlan(string FromRegion, string FromZone, string ToRegion, string ToZone, string InstanceType, string? NewStack,
    Snapshot? Source, string? FinalSnapshotSkipped, string Rerun)
{
    public bool CrossesRegions => FromRegion != ToRegion;

    /// <summary>The steps Move shows before it asks.</summary>
    public IReadOnlyList<string> Steps(string stack)
    {
        var steps = new List<string>();
        if (FinalSnapshotSkipped is { } reason) steps.Add($"no final snapshot: {reason}; moving from {Source!.SnapshotId} ({Utc(Source.StartTime)} UTC)");
        else steps.Add($"FinalSnapshot: snapshot the data volume in {FromZone} and wait until it is completed");
        steps.Add($"copy it in {ToRegion}, tagged {Contract.Tag.Az}={ToZone} and {Contract.Tag.MovedFrom}=<its AZ>/<its id> (the recorded pass through the AZ guardrail), and wait");
        if (CrossesRegions)
        {
            steps.Add($"create stack {NewStack} from stack {stack}'s config: {Contract.RegionKey}={ToRegion}, {Contract.Config.AvailabilityZone}={ToZone}, {Contract.Config.DataVolumeSnapshotId}=<the copy>");
            steps.Add($"not deployed yet: its secrets parameter goes into {ToRegion} first (the commands follow)");
        }
        else
        {
            steps.Add($"pin {Contract.Config.AvailabilityZone}={ToZone} and {Contract.Config.DataVolumeSnapshotId}=<the copy> in stack {stack}");
            steps.Add($"Deploy: pulumi replaces the subnet, the instance (a new spot request) and the data volume in {ToZone}; the old volume is deleted");
        }
        return steps;
    }
}
