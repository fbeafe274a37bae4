using BuildEngine;

/// <summary>The AWS session every area's targets share: credentials and region, resolved once a run.</summary>
partial class Build
{
    AwsSession? _aws;

    /// <summary>
    /// The AWS session: credentials from the build's environment; region from --region, then the region the stack was
    /// deployed in (its region output, for targets that act on deployed resources), AWS_REGION, the stack's aws:region, the profile.
    /// </summary>
    async Task<AwsSession> AwsAsync(string? deployedRegion = null)
    {
        var deployed = string.IsNullOrEmpty(deployedRegion) ? null : deployedRegion;
        // A session made earlier in the run (e.g. by ConfigureAz) serves unless the stack was deployed in another region.
        if (_aws is not null && (Region is not null || deployed is null || deployed == _aws.Region)) return _aws;
        var env = new AwsEnvironment(Environment);
        var (credentials, profileRegion) = AwsCredentialResolver.Resolve(env);
        if ((Region ?? deployed ?? env.Region) is { } known) return _aws = new AwsSession(env, known, credentials);
        var (stackRegion, unreadable) = await StackRegionAsync();
        var region = stackRegion ?? profileRegion
            ?? throw new BuildException($"No AWS region: pass --region, set AWS_REGION, or set a region in your AWS profile (aws configure set region <region>)" +
                                        (unreadable is null ? $"; or pin {Contract.RegionKey} in stack {Stack}." : $"; the stack's {Contract.RegionKey} could not be read ({unreadable.TrimEnd('.')})."));
        if (stackRegion is null && unreadable is not null)
            Log.Information($"Using the AWS profile's region {region}: the stack's {Contract.RegionKey} could not be read ({unreadable}).");
        return _aws = new AwsSession(env, region, credentials);
    }

    /// <summary>The stack's aws:region, or why it could not be read (no pulumi CLI, no stack yet): then the profile's region serves.</summary>
    async Task<(string? Region, string? Unreadable)> StackRegionAsync()
    {
        try
        {
            return (await StackState.GetConfigAsync(Contract.RegionKey, CancellationToken), null);
        }
        catch (BuildException e)
        {
            return (null, e.Message);
        }
    }
}
