using System.Net;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using BuildEngine;

/// <summary>
/// The two read calls of Amazon Data Lifecycle Manager the runbook needs (AWSSDK.DLM is not available):
/// its REST-JSON API over HttpClient, signed by AWSSDK.Core's SigV4 handler; throttling and 5xx are retried.
/// </summary>
public sealed class DlmClient(AWSCredentials credentials, RegionEndpoint region, string endpoint, int maxAttempts)
{
    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    readonly HttpClient _http = new(new SigV4SigningHandler(credentials, region, "dlm", new SocketsHttpHandler()))
    {
        BaseAddress = new Uri(endpoint.TrimEnd('/') + "/"),
    };

    /// <summary><c>GET /policies</c>, optionally only those targeting a tag (<c>key=value</c>).</summary>
    public async Task<IReadOnlyList<DlmPolicySummary>> GetPoliciesAsync(string? targetTag, CancellationToken cancellationToken)
    {
        var query = "policies?resourceTypes=VOLUME" + (targetTag is null ? "" : "&targetTags=" + Uri.EscapeDataString(targetTag));
        var page = await GetAsync<PoliciesPage>(query, "dlm:GetLifecyclePolicies", cancellationToken);
        return page.Policies ?? [];
    }

    /// <summary><c>GET /policies/{id}</c>: the policy with its schedules.</summary>
    public async Task<DlmPolicy> GetPolicyAsync(string policyId, CancellationToken cancellationToken) =>
        (await GetAsync<PolicyEnvelope>("policies/" + Uri.EscapeDataString(policyId), "dlm:GetLifecyclePolicy", cancellationToken)).Policy
        ?? throw new BuildException($"DLM answered no policy for {policyId}.");

    async Task<T> GetAsync<T>(string path, string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.GetAsync(path, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new BuildException($"AWS {operation} failed before AWS answered: {e.Message.TrimEnd('.')}.");
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode) return JsonSerializer.Deserialize<T>(body, Json)!;
                var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                if (retryable && attempt < maxAttempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble())), cancellationToken);
                    continue;
                }
                throw Explain(operation, response, body);
            }
        }
    }

    static BuildException Explain(string operation, HttpResponseMessage response, string body)
    {
        var code = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First().Split(':')[0] : null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("Message", out var m) || document.RootElement.TryGetProperty("message", out m)) message = m.GetString();
            if (code is null && document.RootElement.TryGetProperty("Code", out var c)) code = c.GetString();
        }
        catch (JsonException) { }
        code ??= ((int)response.StatusCode).ToString();
        return response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
            ? new BuildException($"These credentials may not call {operation} ({code}: {message?.TrimEnd('.')}); grant it or use another AWS_PROFILE.")
            : new BuildException($"AWS {operation} failed: {code}: {message?.TrimEnd('.') ?? "no message"}.");
    }

    sealed record PoliciesPage(List<DlmPolicySummary>? Policies);
    sealed record PolicyEnvelope(DlmPolicy? Policy);
}
