/// <summary>
/// The persistent spot request behind the stack's instance (<see cref="SpotRequests"/>): Destroy cancels it, and Deploy
/// retires the one of an instance it replaced, so AWS launches nothing outside the stack.
/// </summary>
sealed class StackSpotRequest(StackContext run, SpotRequests requests, string requestId, string instanceId)
{
    public string RequestId => requestId;
    public string InstanceId => instanceId;

    /// <summary>The request behind the stack's instance (its instance_id output), or null when there is none.</summary>
    public static async Task<StackSpotRequest?> FindAsync(StackContext run)
    {
        var outputs = await run.OutputsAsync();
        if (outputs.GetValueOrDefault(Contract.Output.InstanceId) is not { Length: > 0 } instanceId) return null;
        var requests = new SpotRequests((await run.AwsAsync(outputs)).Ec2);
        return await requests.OfInstanceAsync(instanceId, run.CancellationToken) is { } requestId ? new(run, requests, requestId, instanceId) : null;
    }

    /// <summary>Destroy, before pulumi destroy: true when the request was open and is now cancelled.</summary>
    public Task<bool> CancelAsync() => requests.CancelAsync(requestId, run.CancellationToken);

    /// <summary>Destroy, after pulumi destroy: terminates what AWS relaunched for the request meanwhile.</summary>
    public Task TerminateRelaunchedAsync() => requests.TerminateRelaunchedAsync(requestId, instanceId, run.CancellationToken);

    /// <summary>After Deploy: when the stack's instance is no longer this request's, the request must not relaunch the old one.</summary>
    public async Task RetireIfReplacedAsync()
    {
        if ((await run.OutputsAsync()).GetValueOrDefault(Contract.Output.InstanceId) == instanceId) return;
        await requests.RetireAsync(requestId, instanceId, $"of the replaced instance {instanceId}", run.CancellationToken);
    }
}
