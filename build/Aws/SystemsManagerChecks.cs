using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

/// <summary>Doctor's Systems Manager lines: can the operator connect, and does the secrets parameter the instance reads exist.</summary>
public sealed class SystemsManagerChecks(IAmazonSimpleSystemsManagement ssm, CancellationToken cancellationToken)
{
    public async Task<HealthCheck> AgentAsync(string? instanceId)
    {
        const string name = "Session Manager";
        if (instanceId is null) return HealthCheck.Warn(name, "no instance to connect to");
        var response = await ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
        {
            Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [instanceId] }],
        }, cancellationToken);
        var agent = (response.InstanceInformationList ?? []).FirstOrDefault();
        return agent?.PingStatus == PingStatus.Online
            ? HealthCheck.Ok(name, $"agent {agent.AgentVersion} online: connect with the {Contract.Output.SsmConnectCommand} output")
            : HealthCheck.Warn(name, $"{instanceId} is {(agent is null ? "not registered" : agent.PingStatus?.Value)} with Systems Manager: " +
                                     $"{Contract.Output.SsmConnectCommand} works once it is online (still booting, or no route to SSM)");
    }

    /// <summary>Reads the parameter's description only, never its value.</summary>
    /// <summary>The secrets parameter exists as a SecureString, under the stack's key (its kms_key_alias output) when one is known.</summary>
    public async Task<HealthCheck> ParameterAsync(string parameterName, string stack, string? stackKeyAlias)
    {
        const string name = "Secrets parameter";
        var response = await ssm.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Name", Option = "Equals", Values = [parameterName] }],
        }, cancellationToken);
        if ((response.Parameters ?? []).FirstOrDefault() is not { } parameter)
            return HealthCheck.Fail(name, $"{parameterName} does not exist, so the gateway cannot start: store your dotenv with " +
                                          $"./build.sh Secrets --stack {stack} --env-file .env");
        // SSM reports the key as Secrets gave it (an alias); a key id or ARN cannot be compared without resolving it.
        if (parameter.Type == ParameterType.SecureString && stackKeyAlias is { Length: > 0 } && parameter.KeyId is { } keyId
            && keyId.StartsWith("alias/", StringComparison.Ordinal) && keyId != stackKeyAlias)
            return HealthCheck.Warn(name, $"{parameterName} is encrypted with {keyId}, not the stack's key {stackKeyAlias}: store it again with " +
                                          $"./build.sh Secrets --stack {stack} --env-file .env (it uses the stack's key)");
        return parameter.Type == ParameterType.SecureString
            ? HealthCheck.Ok(name, $"{parameterName}: SecureString version {parameter.Version} in KMS key {parameter.KeyId}, changed {Formats.Utc(parameter.LastModifiedDate)} UTC")
            : HealthCheck.Warn(name, $"{parameterName} is a {parameter.Type?.Value}, not a SecureString: its secrets are stored unencrypted");
    }
}
