using BuildEngine;
using Spectre.Console;

/// <summary>
/// The Secrets step: which parameter and KMS key the stack's secrets go to, storing a dotenv file there (offering a gateway
/// token when it has none), and listing the key names stored.
/// </summary>
sealed class StackSecrets(StackContext run, bool yes, string? kmsKey, SecretsTier tier)
{
    /// <summary>
    /// The parameter in the region the stack was deployed in, where the instance reads it (and where --restart reaches the
    /// instance): the deployed stack's; before the first Deploy, the one it will read.
    /// </summary>
    public async Task<SecretsParameter> ParameterAsync()
    {
        var outputs = await run.OutputsAsync();
        return new SecretsParameter((await run.AwsAsync(outputs)).Ssm, await ParameterNameAsync(outputs), run.CancellationToken);
    }

    /// <summary>The deployed stack's parameter name; before the first Deploy, the one it will read (config, then the default).</summary>
    async Task<string> ParameterNameAsync(IReadOnlyDictionary<string, string> outputs) =>
        outputs.GetValueOrDefault(Contract.Output.SsmEnvParameter) is { Length: > 0 } deployed
            ? deployed
            : await run.ConfigAsync(Contract.Config.SsmEnvParameter)
              ?? Contract.Default(Contract.Config.SsmEnvParameter).Replace("{stack}", run.Stack, StringComparison.Ordinal);

    /// <summary>Validates the file, offers a gateway token when it has none, then overwrites the parameter with it.</summary>
    public async Task WriteAsync(SecretsParameter parameter, SecretsFile file)
    {
        var env = file.Read();
        if (file.ReadableByOthers) Log.Warning($"{file.Path} can be read by other users of this machine; chmod 600 {file.Path}.");
        if (!env.HasGatewayAuth && OfferGatewayToken(file)) env = file.Read();
        var key = await KmsKeyAsync();
        var version = await parameter.WriteAsync(env, tier, key);
        Log.Information($"Stored {env.Entries.Count} keys ({env.Bytes} bytes) from {file.Path} as SecureString version {version} of the secrets parameter " +
                        $"({tier} tier, KMS key {key ?? "alias/aws/ssm"}): {string.Join(", ", env.Entries.Select(e => e.Key))}.");
        if (key is null)
            Log.Information($"Stack {run.Stack} has no key yet (no {Contract.Output.KmsKeyAlias} output): after ./build.sh Deploy --stack {run.Stack}, run this again to encrypt the secrets with the stack's key.");
    }

    public async Task ListKeysAsync(SecretsParameter parameter)
    {
        var keys = await parameter.KeysAsync()
            ?? throw new BuildException($"Stack {run.Stack} has no secrets parameter yet; store one with ./build.sh Secrets --stack {run.Stack} --env-file .env.");
        Log.Information($"The secrets parameter holds {keys.Count} keys (values not shown):");
        foreach (var key in keys) run.Console.Profile.Out.Writer.WriteLine("  " + key);
    }

    /// <summary>--kms-key; else the deployed stack's key (its alias output); else null: SSM's default, the account's aws/ssm key.</summary>
    async Task<string?> KmsKeyAsync() =>
        kmsKey ?? ((await run.OutputsAsync()).GetValueOrDefault(Contract.Output.KmsKeyAlias) is { Length: > 0 } alias ? alias : null);

    /// <summary>True when a token was added to the file. --yes adds one; without a terminal and without --yes nothing is written.</summary>
    bool OfferGatewayToken(SecretsFile file)
    {
        var missing = $"{file.Path} has no {SecretsFile.GatewayTokenKey} (nor {SecretsFile.GatewayPasswordKey}), without which the gateway does not start";
        if (!yes && !run.Console.Profile.Capabilities.Interactive)
            throw new BuildException($"{missing}; add it, or pass --yes to generate a strong one into the file (nothing was written).");
        if (!yes && !run.Console.Confirm($"{missing}. Generate a strong one into {file.Path} (the file stays 0600, the token is not shown)?"))
        {
            Log.Warning($"{missing}; storing the file without it.");
            return false;
        }
        file.AddGatewayToken();
        Log.Information($"Generated {SecretsFile.GatewayTokenKey} (32 random bytes) into {file.Path}, mode 0600; the Control UI asks for it, it is in that file.");
        return true;
    }
}
