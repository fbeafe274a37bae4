using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using BuildEngine;

/// <summary>Parameter Store tiers: the most a value may hold.</summary>
public enum SecretsTier { Standard, Advanced }

/// <summary>
/// The stack's secrets parameter (ssm_env_parameter): the whole dotenv as one SecureString. Values never leave this class
/// except to AWS: every error is redacted of them (AWS validation messages can quote what was sent).
/// </summary>
public sealed class SecretsParameter(IAmazonSimpleSystemsManagement ssm, string name, CancellationToken cancellationToken)
{
    public static int Limit(SecretsTier tier) => tier == SecretsTier.Advanced ? 8192 : 4096;

    /// <summary>Overwrites the parameter with the file; returns the new version.</summary>
    public async Task<long> WriteAsync(DotEnv env, SecretsTier tier, string? kmsKey)
    {
        if (env.Bytes > Limit(tier))
            throw new BuildException($"The dotenv is {env.Bytes} bytes, over the {tier} parameter limit of {Limit(tier)} bytes, so nothing was written; " +
                                     (tier == SecretsTier.Standard ? "shorten it, or pass --parameter-tier Advanced (up to 8192 bytes, charged per parameter and month)." : "shorten it."));
        try
        {
            var response = await ssm.PutParameterAsync(new PutParameterRequest
            {
                Name = name,
                Type = ParameterType.SecureString,
                Value = env.Text,
                Overwrite = true,
                Tier = tier == SecretsTier.Advanced ? ParameterTier.Advanced : ParameterTier.Standard,
                KeyId = kmsKey,
                Description = "OpenClaw secrets (dotenv), written by ./build.sh Secrets",
            }, cancellationToken);
            return response.Version ?? 0;
        }
        catch (Exception e) when (AwsErrors.Explain($"ssm:PutParameter {name}", e) is { } explained)
        {
            throw new BuildException(Redact(explained.Message, env));
        }
    }

    /// <summary>The key names stored, or null when the parameter does not exist. The values are decrypted to read the names, then dropped.</summary>
    public async Task<IReadOnlyList<string>?> KeysAsync()
    {
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken);
            return DotEnv.KeyNames(response.Parameter.Value ?? "");
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (AwsErrors.Explain($"ssm:GetParameter {name}", e) is { } explained)
        {
            throw new BuildException(explained.Message);
        }
    }

    static string Redact(string message, DotEnv env)
    {
        message = message.Replace(env.Text.TrimEnd('\n'), "*****", StringComparison.Ordinal);
        foreach (var entry in env.Entries.OrderByDescending(e => e.Value.Length))
            message = message.Replace(entry.Value, "*****", StringComparison.Ordinal);
        return message;
    }
}
