using Amazon;
using Amazon.Runtime;
using BuildEngine;

/// <summary>
/// The AWS settings the build reads from its environment snapshot (never from the process environment,
/// so tests can inject them): region, endpoint overrides, retry attempts, metadata opt-out.
/// </summary>
public sealed class AwsEnvironment(IReadOnlyDictionary<string, string> environment)
{
    /// <summary>The shape of a region name (whether AWS has it is <see cref="ParseRegion"/>'s question).</summary>
    public const string RegionPattern = "[a-z]{2}(?:-[a-z]+)+-[0-9]+";

    public string? Get(string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public string? Region => Get("AWS_REGION") ?? Get("AWS_DEFAULT_REGION");

    /// <summary><c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>, as the AWS SDKs read them.</summary>
    public string? Endpoint(string service) => Get($"AWS_ENDPOINT_URL_{service.ToUpperInvariant()}") ?? Get("AWS_ENDPOINT_URL");

    /// <summary>Total attempts per call (first try included): AWS_MAX_ATTEMPTS, else <see cref="AwsSession.DefaultMaxAttempts"/>.</summary>
    public int MaxAttempts => int.TryParse(Get("AWS_MAX_ATTEMPTS"), out var attempts) && attempts > 0 ? attempts : AwsSession.DefaultMaxAttempts;

    /// <summary>AWS_RETRY_MODE (standard or adaptive, as the SDKs read it), else standard.</summary>
    public RequestRetryMode RetryMode => Get("AWS_RETRY_MODE")?.ToLowerInvariant() switch
    {
        "adaptive" => RequestRetryMode.Adaptive,
        _ => RequestRetryMode.Standard,
    };

    public bool MetadataDisabled => Get("AWS_EC2_METADATA_DISABLED") is { } value && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    public string? ProfileName => Get("AWS_PROFILE") ?? Get("AWS_DEFAULT_PROFILE");

    public string CredentialsFile => Get("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(Home, ".aws", "credentials");

    string Home => Get("HOME") ?? Get("USERPROFILE") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    /// <summary>The region as an SDK endpoint; a name that is no AWS region is one sentence, not an SDK error later.</summary>
    public static RegionEndpoint ParseRegion(string region)
    {
        if (RegionEndpoint.EnumerableAllRegions.FirstOrDefault(r => r.SystemName == region) is { } known) return known;
        throw new BuildException($"'{region}' is not an AWS region (e.g. me-central-1, eu-central-1); pass --region or set AWS_REGION.");
    }
}
