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

    BuildException NotFound(string volumeId) =>
        new($"Data volume {volumeId} does not exist in {region}; run ./build.sh Refresh so the stack outputs match AWS.");
}
