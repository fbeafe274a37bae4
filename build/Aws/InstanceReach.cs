using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

/// <summary>Why Systems Manager can't reach the stack's instance now, and what to run next.</summary>
public sealed record Unreachable(string Reason, string Next)
{
    public string Sentence => $"{char.ToUpperInvariant(Reason[0])}{Reason[1..]}: {Next}.";
}

/// <summary>Can Systems Manager run commands or sessions on the instance: is it running, and is its agent online.</summary>
public sealed class InstanceReach(IAmazonEC2 ec2, IAmazonSimpleSystemsManagement ssm, string region)
{
    /// <summary>Null when the instance is running and its SSM agent is online; otherwise why not.</summary>
    public async Task<Unreachable?> CheckAsync(string instanceId, string stack, CancellationToken cancellationToken)
    {
        var instances = await new DataVolumes(ec2, region).InstancesAsync([instanceId], cancellationToken);
        var state = instances.GetValueOrDefault(instanceId)?.State?.Name?.Value;
        switch (state)
        {
            case "running":
                break;
            case "pending":
                return new Unreachable($"instance {instanceId} of stack {stack} is still starting", "wait a minute and run this again");
            case "stopped" or "stopping":
                return new Unreachable($"instance {instanceId} of stack {stack} is {state} (a spot interruption stops it until capacity returns)",
                    $"see ./build.sh Doctor --stack {stack}, or replace it with ./build.sh Redeploy --stack {stack}");
            default:
                return new Unreachable($"instance {instanceId} of stack {stack} is {state ?? "gone"}", $"replace it with ./build.sh Redeploy --stack {stack}");
        }
        var response = await AwsErrors.Call("ssm:DescribeInstanceInformation", () => ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
        {
            Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [instanceId] }],
        }, cancellationToken));
        var agent = (response.InstanceInformationList ?? []).FirstOrDefault();
        return agent?.PingStatus == PingStatus.Online
            ? null
            : new Unreachable($"the Systems Manager agent on {instanceId} is {(agent is null ? "not registered" : agent.PingStatus?.Value)} (still booting, or no route to Systems Manager)",
                $"wait a minute and retry, or read ./build.sh Logs --stack {stack} --source boot");
    }
}
