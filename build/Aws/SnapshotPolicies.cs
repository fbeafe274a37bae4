/// <summary>The stack's DLM policies: the ones whose target tags name it, enabled first.</summary>
public sealed class SnapshotPolicies(DlmClient dlm)
{
    public async Task<List<DlmPolicy>> ForStackAsync(string stack, CancellationToken cancellationToken)
    {
        var summaries = await dlm.GetPoliciesAsync($"{Contract.Tag.Stack}={stack}", cancellationToken);
        var policies = await Task.WhenAll(summaries.Select(s => dlm.GetPolicyAsync(s.PolicyId, cancellationToken)));
        return policies.Where(p => p.Targets(Contract.Tag.Stack, stack)).OrderBy(p => p.State == "ENABLED" ? 0 : 1).ToList();
    }

    /// <summary>A snapshot is on schedule while it is younger than the schedule's period plus this.</summary>
    public static readonly TimeSpan OnScheduleSlack = TimeSpan.FromHours(1);
}
