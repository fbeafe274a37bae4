using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>
/// Retained data volumes (data_volume_retain_on_destroy, data_volume_id): what Destroy does before pulumi destroy to keep
/// the volume (stop the instance cleanly, detach, tag when and from which stack), listing retained volumes, adopting one
/// into a stack, and deleting one. Names of tags come from <see cref="Contract.Tag"/>.
/// </summary>
public sealed class VolumeRetention(AwsSession aws, Waiting waiting, CancellationToken cancellationToken)
{
    /// <summary>An EBS volume id: vol- and 8 or 17 hex digits.</summary>
    public const string IdPattern = "vol-(?:[0-9a-f]{8}|[0-9a-f]{17})";
    public const string IdAccepted = "a volume id (vol- and 8 or 17 hex digits, e.g. vol-0123456789abcdef0)";

    /// <summary>
    /// gp3 storage in US East (N. Virginia), USD per GB-month, from https://aws.amazon.com/ebs/pricing/ (list price, looked
    /// up 2026-12). An estimate: other regions differ, and IOPS or throughput above gp3's free 3000 IOPS / 125 MB/s cost extra.
    /// </summary>
    public const decimal Gp3PricePerGbMonth = 0.08m;

    public const string PriceSource = "the gp3 list price in us-east-1 (https://aws.amazon.com/ebs/pricing/); other regions differ, IOPS/throughput above 3000/125 MB/s are extra";

    /// <summary>What keeping the volume costs a month, at the gp3 price (see <see cref="Gp3PricePerGbMonth"/>).</summary>
    public static decimal MonthlyCost(int sizeGiB) => sizeGiB * Gp3PricePerGbMonth;

    /// <summary>"about $2.40 a month (30 GiB × $0.08 per GB-month, ...)": the sentence every target prints.</summary>
    public static string CostSentence(Volume volume) =>
        $"about {Formats.Dollars(MonthlyCost(volume.Size ?? 0), 2)} a month ({volume.Size} GiB × {Formats.Dollars(Gp3PricePerGbMonth, 2)} per GB-month, an estimate at {PriceSource}" +
        (volume.VolumeType == VolumeType.Gp3 ? ")" : $"; this volume is {volume.VolumeType?.Value ?? "of unknown type"}, priced as gp3)");

    /// <summary>"30 GiB gp3, retained 3d ago from stack dev".</summary>
    public static string Describe(Volume volume, DateTime now) =>
        $"{volume.Size} GiB {volume.VolumeType?.Value}" + (RetainedAt(volume) is { } at
            ? $", retained {Formats.Age(now - at)} ago from stack {Tag(volume, Contract.Tag.RetainedFrom)}"
            : "");

    /// <summary>How long ago Destroy kept it ("3d 4h"), or "" for a volume it did not keep.</summary>
    public static string AgeText(Volume volume, DateTime now) => RetainedAt(volume) is { } at ? Formats.Age(now - at) : "";

    DataVolumes Volumes => new(aws.Ec2, aws.Region);

    public static string? Tag(Volume volume, string key) => (volume.Tags ?? []).FirstOrDefault(t => t.Key == key)?.Value;

    /// <summary>When Destroy kept it (the OpenClawRetainedAt tag), or null.</summary>
    public static DateTime? RetainedAt(Volume volume) =>
        DateTime.TryParse(Tag(volume, Contract.Tag.RetainedAt), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>One volume by id; an unknown one is a sentence naming the region.</summary>
    public async Task<Volume> GetAsync(string volumeId)
    {
        try
        {
            var response = await aws.Ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, cancellationToken);
            return (response.Volumes ?? []).FirstOrDefault() ?? throw NotFound(volumeId);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode is "InvalidVolume.NotFound" or "InvalidVolumeID.Malformed")
        {
            throw NotFound(volumeId);
        }
        catch (Exception e) when (AwsErrors.Explain("ec2:DescribeVolumes", e) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>
    /// Before pulumi destroy: stops the stack's instance cleanly (its units stop, the filesystem is flushed) and waits, detaches
    /// the volume and waits until it is available, then tags it OpenClawRetainedAt (UTC) and OpenClawRetainedFrom (stack).
    /// pulumi destroy then finds the attachment gone (the provider takes "already available" as detached) and leaves the volume.
    /// </summary>
    public async Task<Volume> DetachAndTagAsync(string volumeId, string? stackInstanceId, string stack, DateTime now)
    {
        var state = await Volumes.StateAsync(volumeId, stackInstanceId, cancellationToken);
        var attachments = state.Attachments.Where(a => a.State != AttachmentStatus.Detached).ToList();
        if (attachments.FirstOrDefault(a => a.InstanceId != stackInstanceId && state.Instances.GetValueOrDefault(a.InstanceId)?.State?.Name == InstanceStateName.Running) is { } foreign)
            throw new BuildException($"{volumeId} is attached to the running instance {foreign.InstanceId}, which is not stack {stack}'s; nothing was destroyed. " +
                                     $"Stop that instance (or ./build.sh DetachVolume --stack {stack}) and run Destroy again.");
        foreach (var instanceId in attachments.Select(a => a.InstanceId).Distinct())
            await StopAsync(instanceId, state.Instances.GetValueOrDefault(instanceId)?.State?.Name, stack);
        if (attachments.Count > 0) await Volumes.DetachAsync(volumeId, attachments, waiting, stack, cancellationToken);
        await TagAsync(volumeId, [new(Contract.Tag.RetainedAt, now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), new(Contract.Tag.RetainedFrom, stack)]);
        Log.Information($"{volumeId} is detached and tagged {Contract.Tag.RetainedFrom}={stack}; pulumi destroy leaves it.");
        return await GetAsync(volumeId);
    }

    /// <summary>Stops the instance (not forced: a clean shutdown) and waits until it is stopped.</summary>
    async Task StopAsync(string instanceId, InstanceStateName? current, string stack)
    {
        if (current == InstanceStateName.Stopped) return;
        if (current != InstanceStateName.Stopping)
        {
            await AwsErrors.Call("ec2:StopInstances", () => aws.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [instanceId] }, cancellationToken));
            Log.Information($"Stopping {instanceId} so OpenClaw shuts down and the data volume is flushed before it is detached.");
        }
        await Waiter.WaitAsync(waiting, $"Instance {instanceId}", async () =>
        {
            var name = (await Volumes.InstancesAsync([instanceId], cancellationToken)).GetValueOrDefault(instanceId)?.State?.Name;
            var stopped = name is null || name == InstanceStateName.Stopped || name == InstanceStateName.Terminated;
            return new WaitState(stopped, stopped ? 100 : 50, name?.Value ?? "gone");
        }, s => $"{instanceId} is still {s.Status} after {waiting.Timeout}; nothing was destroyed — run Destroy again (raise --wait-timeout), or look at ./build.sh Logs --stack {stack}.",
        _ => $"Interrupted: {instanceId} is still stopping in AWS and nothing was destroyed; ./build.sh Destroy --stack {stack} resumes.", cancellationToken);
    }

    public Task TagAsync(string volumeId, List<Tag> tags) =>
        AwsErrors.Call("ec2:CreateTags", () => aws.Ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [volumeId], Tags = tags }, cancellationToken));

    /// <summary>Reattach --adopt-foreign: the volume becomes this stack's data volume, so its DLM policy snapshots it.</summary>
    public Task AdoptAsync(Volume volume, string stack) => TagAsync(volume.VolumeId,
        [new(Contract.Tag.Data, Contract.TagValue.Data), new(Contract.Tag.Stack, stack), new(Contract.Tag.Az, volume.AvailabilityZone)]);

    /// <summary>The account's retained OpenClaw volumes in the region: tagged OpenClawRetainedAt and detached (available), oldest first.</summary>
    public async Task<List<Volume>> ListAsync()
    {
        var request = new DescribeVolumesRequest { Filters = [new Filter("tag-key", [Contract.Tag.RetainedAt]), new Filter("status", ["available"])] };
        var volumes = await AwsErrors.Call("ec2:DescribeVolumes", async () =>
        {
            var all = new List<Volume>();
            await foreach (var volume in aws.Ec2.Paginators.DescribeVolumes(request).Volumes.WithCancellation(cancellationToken))
                all.Add(volume);
            return all;
        });
        return volumes.OrderBy(v => RetainedAt(v) ?? DateTime.MaxValue).ThenBy(v => v.VolumeId, StringComparer.Ordinal).ToList();
    }

    /// <summary>A volume DeleteRetainedVolume may delete: Destroy retained it (OpenClawRetainedAt) and it is detached.</summary>
    public async Task<Volume> RetainedAsync(string volumeId)
    {
        var volume = await GetAsync(volumeId);
        if (Tag(volume, Contract.Tag.RetainedAt) is null)
            throw new BuildException($"{volumeId} is not a retained OpenClaw volume (no {Contract.Tag.RetainedAt} tag); DeleteRetainedVolume deletes only volumes a Destroy kept (./build.sh RetainedVolumes lists them).");
        if (volume.State != VolumeState.Available)
            throw new BuildException($"{volumeId} is {volume.State?.Value} (attached to {string.Join(", ", (volume.Attachments ?? []).Select(a => a.InstanceId))}), not a detached retained volume; nothing was deleted.");
        return volume;
    }

    public Task DeleteAsync(string volumeId) =>
        AwsErrors.Call("ec2:DeleteVolume", () => aws.Ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }, cancellationToken));

    BuildException NotFound(string volumeId) =>
        new($"Volume {volumeId} does not exist in {aws.Region} (or is not visible to this account); list the retained ones with ./build.sh RetainedVolumes (pass --region for another region).");
}
