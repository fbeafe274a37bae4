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
        var region = Region ?? deployed ?? env.Region ?? await StackRegionAsync(profileRegion) ?? profileRegion
            ?? throw new BuildException($"No AWS region: pass --region, set AWS_REGION, or pin {Contract.RegionKey} in stack {Stack}.");
        return _aws = new AwsSession(env, region, credentials);
    }

    /// <summary>The stack's aws:region; when the stack can't be read (no pulumi CLI, no stack yet) the profile's region serves instead.</summary>
    async Task<string?> StackRegionAsync(string? profileRegion)
    {
        try
        {
            return await StackState.GetConfigAsync(Contract.RegionKey, CancellationToken);
        }
        catch (BuildException e) when (profileRegion is not null)
        {
            Log.Information($"Using the AWS profile's region {profileRegion}: the stack's {Contract.RegionKey} could not be read ({e.Message}).");
            return null;
        }
    }

    /// <summary>Pins aws:region in the stack config when it has none, so pulumi deploys where the build looked.</summary>
    async Task PinRegionAsync(string region)
    {
        if (await StackState.GetConfigAsync(Contract.RegionKey, CancellationToken) is null)
            await StackState.SetConfigAsync(Contract.RegionKey, region, cancellationToken: CancellationToken);
    }
}
