using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using BuildEngine;

/// <summary>
/// The default credential chain, read from the build's environment: keys in env, web identity (CI OIDC), then the named (or default)
/// profile — static, assume-role, process or SSO (AWSSDK.SSO/SSOOIDC) — then, unless
/// AWS_EC2_METADATA_DISABLED=true, the SDK's own chain (container and instance metadata).
/// </summary>
public static class AwsCredentialResolver
{
    public static (AWSCredentials Credentials, string? ProfileRegion) Resolve(AwsEnvironment env)
    {
        if (env.Get("AWS_ACCESS_KEY_ID") is { } accessKey && env.Get("AWS_SECRET_ACCESS_KEY") is { } secretKey)
            return (env.Get("AWS_SESSION_TOKEN") is { } token
                ? new SessionAWSCredentials(accessKey, secretKey, token)
                : new BasicAWSCredentials(accessKey, secretKey), null);

        if (env.Get("AWS_WEB_IDENTITY_TOKEN_FILE") is { } tokenFile && env.Get("AWS_ROLE_ARN") is { } roleArn)
            return (new AssumeRoleWithWebIdentityCredentials(tokenFile, roleArn, env.Get("AWS_ROLE_SESSION_NAME") ?? "openclaw-runbook"), null);

        var profileName = env.ProfileName;
        var file = new SharedCredentialsFile(env.CredentialsFile);
        if (file.TryGetProfile(profileName ?? "default", out var profile))
        {
            try
            {
                return (AWSCredentialsFactory.GetAWSCredentials(profile, file), profile.Region?.SystemName);
            }
            catch (Exception e) when (e is AmazonClientException or InvalidOperationException)
            {
                throw new BuildException($"AWS profile '{profile.Name}' gives no credentials ({e.Message.TrimEnd('.')}); for an SSO profile run `aws sso login --profile {profile.Name}`.");
            }
        }
        if (profileName is not null)
            throw new BuildException($"AWS profile '{profileName}' (AWS_PROFILE) is not in {env.CredentialsFile} or its config file; run `aws configure sso --profile {profileName}` or fix AWS_PROFILE.");

        if (!env.MetadataDisabled)
        {
            try
            {
                return (new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null), null);
            }
            catch (AmazonClientException)
            {
                // Falls through to the sentence below.
            }
        }
        throw new BuildException("No AWS credentials found: set AWS_PROFILE (then `aws sso login`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
    }
}
