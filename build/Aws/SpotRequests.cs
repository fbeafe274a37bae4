using Amazon.EC2;
using Amazon.EC2.Model;
using BuildEngine;

/// <summary>
/// The persistent spot request behind the stack's instance. AWS relaunches an instance for it until it is cancelled,
/// and pulumi terminates the instance without cancelling it (terraform-provider-aws#38142): left alone, it keeps
/// launching unmanaged instances after Destroy, or after Deploy replaced the instance.
/// </summary>
public sealed class SpotRequests(IAmazonEC2 ec2)
{
    static readonly string[] Cancellable = ["open", "active", "disabled"];
    static readonly List<string> NotTerminated = ["pending", "running", "stopping", "stopped"];

    /// <summary>
    /// Cancels the request so AWS launches nothing more for it, then terminates what it launched besides
    /// <paramref name="managedInstanceId"/> (which pulumi manages, or already terminated).
    /// </summary>
    public async Task RetireAsync(string requestId, string managedInstanceId, string why, CancellationToken cancellationToken)
    {
        if (await CancelAsync(requestId, cancellationToken)) Log.Information($"Cancelled the persistent spot request {requestId} {why}.");
        await TerminateRelaunchedAsync(requestId, managedInstanceId, cancellationToken);
    }

    /// <summary>Terminates instances AWS launched for the request besides the one pulumi managed.</summary>
    public async Task TerminateRelaunchedAsync(string requestId, string managedInstanceId, CancellationToken cancellationToken)
    {
        var relaunched = await LaunchedByAsync(requestId, managedInstanceId, cancellationToken);
        if (relaunched.Count == 0) return;
        await TerminateAsync(relaunched, cancellationToken);
        Log.Warning($"Terminated {string.Join(", ", relaunched)}: launched by the old spot request {requestId}, outside the stack.");
    }

    /// <summary>The spot request that launched <paramref name="instanceId"/>, or null (an on-demand instance, or one AWS forgot).</summary>
    public async Task<string?> OfInstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        await AwsErrors.Call("ec2:DescribeInstances", async () =>
        {
            var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("instance-id", [instanceId])] }, cancellationToken);
            return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault()?.SpotInstanceRequestId;
        });

    /// <summary>Cancels the request unless it is already cancelled or closed; true when this call cancelled it.</summary>
    public async Task<bool> CancelAsync(string requestId, CancellationToken cancellationToken)
    {
        var described = await AwsErrors.Call("ec2:DescribeSpotInstanceRequests", () => ec2.DescribeSpotInstanceRequestsAsync(
            new DescribeSpotInstanceRequestsRequest { Filters = [new Filter("spot-instance-request-id", [requestId])] }, cancellationToken));
        var request = (described.SpotInstanceRequests ?? []).FirstOrDefault();
        if (request is null || !Cancellable.Contains(request.State?.Value)) return false;
        await AwsErrors.Call("ec2:CancelSpotInstanceRequests", () => ec2.CancelSpotInstanceRequestsAsync(
            new CancelSpotInstanceRequestsRequest { SpotInstanceRequestIds = [requestId] }, cancellationToken));
        return true;
    }

    /// <summary>Instances the request launched that are not terminated, leaving out <paramref name="except"/>.</summary>
    public async Task<List<string>> LaunchedByAsync(string requestId, string except, CancellationToken cancellationToken) =>
        await AwsErrors.Call("ec2:DescribeInstances", async () =>
        {
            var request = new DescribeInstancesRequest
            {
                Filters = [new Filter("spot-instance-request-id", [requestId]), new Filter("instance-state-name", NotTerminated)],
            };
            var response = await ec2.DescribeInstancesAsync(request, cancellationToken);
            return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(i => i.InstanceId).Where(id => id != except).ToList();
        });

    public async Task TerminateAsync(List<string> instanceIds, CancellationToken cancellationToken)
    {
        if (instanceIds.Count == 0) return;
        await AwsErrors.Call("ec2:TerminateInstances", () => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = instanceIds }, cancellationToken));
    }
}
