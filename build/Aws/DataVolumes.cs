using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>The data volume and the instances its attachments name.</summary>
public sealed class DataVolumes(IAmazonEC2 ec2, string region)
{
    public async Task<Volume> GetAsync(string volumeId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, cancellationToken);
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

    /// <summary>Whether AWS still has the volume (a filter, not VolumeIds: a deleted volume is then no error).</summary>
    public async Task<bool> ExistsAsync(string volumeId, CancellationToken cancellationToken)
    {
        var found = await AwsErrors.Call("ec2:DescribeVolumes", () => ec2.DescribeVolumesAsync(
            new DescribeVolumesRequest { Filters = [new Filter("volume-id", [volumeId])] }, cancellationToken));
        return (found.Volumes ?? []).Count > 0;
    }

    /// <summary>The named instances by id (instances AWS no longer knows are left out).</summary>
    public async Task<Dictionary<string, Instance>> InstancesAsync(IEnumerable<string> instanceIds, CancellationToken cancellationToken)
    {
        var ids = instanceIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        return await AwsErrors.Call("ec2:DescribeInstances", async () =>
        {
            var instances = new Dictionary<string, Instance>();
            // A filter instead of InstanceIds: an id AWS forgot (terminated long ago) is no error then.
            var request = new DescribeInstancesRequest { Filters = [new Filter("instance-id", ids)] };
            await foreach (var reservation in ec2.Paginators.DescribeInstances(request).Reservations.WithCancellation(cancellationToken))
                foreach (var instance in reservation.Instances ?? [])
                    instances[instance.InstanceId] = instance;
            return instances;
        });
    }

    /// <summary>The volume, the instances its attachments name, and the stack's instance (instance_id output).</summary>
    public async Task<DataVolumeState> StateAsync(string volumeId, string? stackInstanceId, CancellationToken cancellationToken)
    {
        var volume = await GetAsync(volumeId, cancellationToken);
        var instances = await InstancesAsync((volume.Attachments ?? []).Select(a => a.InstanceId), cancellationToken);
        return new DataVolumeState(volume, instances, stackInstanceId);
    }

    /// <summary>
    /// Detaches the volume from the given attachments' instances, then waits (bounded) until it is available; an attachment
    /// already detaching (an interrupted run) is waited for, not detached again.
    /// </summary>
    public async Task DetachAsync(string volumeId, IReadOnlyList<VolumeAttachment> attachments, Waiting waiting, string stack, CancellationToken cancellationToken)
    {
        foreach (var a in attachments.Where(a => a.State != AttachmentStatus.Detaching))
        {
            await AwsErrors.Call("ec2:DetachVolume", () => ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId, InstanceId = a.InstanceId }, cancellationToken));
            Log.Information($"Detaching {volumeId} from {a.InstanceId} ({a.Device}).");
        }
        await Waiter.WaitAsync(waiting, $"Volume {volumeId}", async () =>
        {
            var state = (await GetAsync(volumeId, cancellationToken)).State;
            var available = state == VolumeState.Available;
            return new WaitState(available, available ? 100 : 0, state?.Value ?? "?");
        }, s => $"{volumeId} is still {s.Status} after {waiting.Timeout}; check ./build.sh VolumeStatus --stack {stack}.",
        _ => $"Interrupted: {volumeId} is still detaching from {string.Join(", ", attachments.Select(a => a.InstanceId))} in AWS; " +
             $"./build.sh DetachVolume --stack {stack} resumes waiting for it.", cancellationToken);
    }

    BuildException NotFound(string volumeId) =>
        new($"Data volume {volumeId} does not exist in {region}; run ./build.sh Refresh so the stack outputs match AWS.");
}

/// <summary>The data volume as AWS sees it, with the instances its attachments name and the stack's own instance.</summary>
public sealed record DataVolumeState(Volume Volume, Dictionary<string, Instance> Instances, string? StackInstanceId)
{
    public List<VolumeAttachment> Attachments => Volume.Attachments ?? [];

    /// <summary>Stale: the attachment names an instance other than the stack's, or the stack's instance is not running.</summary>
    public bool IsStale(VolumeAttachment a) =>
        a.InstanceId != StackInstanceId || Instances.GetValueOrDefault(a.InstanceId)?.State?.Name != InstanceStateName.Running;

    public string InstanceState(string instanceId) => Instances.GetValueOrDefault(instanceId)?.State?.Name?.Value ?? "(unknown to AWS)";
}
