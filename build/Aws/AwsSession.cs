using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;

/// <summary>
/// The region, credentials and clients every AWS target uses. Endpoint overrides (AWS_ENDPOINT_URL[_SERVICE])
/// become ServiceURL with AuthenticationRegion, because ServiceURL and RegionEndpoint replace each other.
/// The retry policy lives here, for the SDK clients and the signed DLM client alike.
/// </summary>
public sealed class AwsSession(AwsEnvironment env, string region, AWSCredentials credentials)
{
    /// <summary>
    /// Attempts per call unless AWS_MAX_ATTEMPTS says otherwise: throttling (RequestLimitExceeded, Throttling, 429) comes in
    /// bursts, and the SDK default of 3 gives up within a second; 10 attempts with capped exponential backoff ride out about a minute.
    /// </summary>
    public const int DefaultMaxAttempts = 10;

    /// <summary>The longest single wait between two attempts (the SDK's standard mode caps at the same 20 s).</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(20);

    /// <summary>Exponential backoff with full jitter, as the SDKs' standard mode: a random wait up to min(20 s, 100 ms × 2^retry).</summary>
    public static TimeSpan Backoff(int retry) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(retry, 20))));

    AmazonEC2Client? _ec2;
    AmazonS3Client? _s3;
    AmazonSecurityTokenServiceClient? _sts;
    AmazonSimpleSystemsManagementClient? _ssm;
    DlmClient? _dlm;
    CloudWatchLogs? _logs;
    CloudWatchAlarms? _alarms;
    PriceList? _priceList;

    public string Region { get; } = region;
    public RegionEndpoint RegionEndpoint { get; } = AwsEnvironment.ParseRegion(region);

    public IAmazonEC2 Ec2 => _ec2 ??= new AmazonEC2Client(credentials, Configure(new AmazonEC2Config(), "EC2"));
    public IAmazonS3 S3 => _s3 ??= new AmazonS3Client(credentials, Configure(new AmazonS3Config { ForcePathStyle = env.Endpoint("S3") is not null }, "S3"));
    public IAmazonSecurityTokenService Sts => _sts ??= new AmazonSecurityTokenServiceClient(credentials, Configure(new AmazonSecurityTokenServiceConfig(), "STS"));
    public IAmazonSimpleSystemsManagement Ssm => _ssm ??= new AmazonSimpleSystemsManagementClient(credentials, Configure(new AmazonSimpleSystemsManagementConfig(), "SSM"));
    public DlmClient Dlm => _dlm ??= new DlmClient(Signed("dlm", "DLM"));
    public CloudWatchLogs Logs => _logs ??= new CloudWatchLogs(Signed("logs", "CLOUDWATCH_LOGS"));
    public CloudWatchAlarms Alarms => _alarms ??= new CloudWatchAlarms(Signed("monitoring", "CLOUDWATCH", jsonVersion: "1.0", queryCompatible: true));

    /// <summary>The Price List Query API at the endpoint region nearest the stack's (<see cref="PriceList.EndpointRegion"/>), signed for that region.</summary>
    public PriceList PriceList => _priceList ??= PricingClient();

    PriceList PricingClient()
    {
        var region = PriceList.EndpointRegion(Region);
        return new PriceList(new SignedJsonClient(credentials, AwsEnvironment.ParseRegion(region), "pricing",
            env.Endpoint("PRICING") ?? $"https://api.pricing.{region}.amazonaws.com", env.MaxAttempts));
    }

    /// <summary>A signed JSON client for a service without an SDK package; <paramref name="service"/> names its AWS_ENDPOINT_URL_&lt;SERVICE&gt;.</summary>
    SignedJsonClient Signed(string signingName, string service, string jsonVersion = "1.1", bool queryCompatible = false) =>
        new(credentials, RegionEndpoint, signingName, env.Endpoint(service) ?? $"https://{signingName}.{Region}.amazonaws.com", env.MaxAttempts, jsonVersion, queryCompatible);

    T Configure<T>(T config, string service) where T : ClientConfig
    {
        // The build reads endpoints itself; the SDK must not add the process environment's.
        config.IgnoreConfiguredEndpointUrls = true;
        config.RetryMode = env.RetryMode;
        config.MaxErrorRetry = env.MaxAttempts - 1;
        if (env.Endpoint(service) is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = Region;
        }
        else config.RegionEndpoint = RegionEndpoint;
        return config;
    }
}
