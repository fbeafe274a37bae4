using BuildEngine;

/// <summary>The two read calls of Amazon Data Lifecycle Manager the runbook needs (AWSSDK.DLM is not served): its REST-JSON API.</summary>
public sealed class DlmClient(SignedJsonClient client)
{
    /// <summary><c>GET /policies</c>, optionally only those targeting a tag (<c>key=value</c>).</summary>
    public async Task<IReadOnlyList<DlmPolicySummary>> GetPoliciesAsync(string? targetTag, CancellationToken cancellationToken)
    {
        var query = "policies?resourceTypes=VOLUME" + (targetTag is null ? "" : "&targetTags=" + Uri.EscapeDataString(targetTag));
        var page = await client.GetAsync<PoliciesPage>(query, "dlm:GetLifecyclePolicies", cancellationToken);
        return page.Policies ?? [];
    }

    /// <summary><c>GET /policies/{id}</c>: the policy with its schedules.</summary>
    public async Task<DlmPolicy> GetPolicyAsync(string policyId, CancellationToken cancellationToken) =>
        (await client.GetAsync<PolicyEnvelope>("policies/" + Uri.EscapeDataString(policyId), "dlm:GetLifecyclePolicy", cancellationToken)).Policy
        ?? throw new BuildException($"DLM answered no policy for {policyId}.");

    sealed record PoliciesPage(List<DlmPolicySummary>? Policies);
    sealed record PolicyEnvelope(DlmPolicy? Policy);
}
