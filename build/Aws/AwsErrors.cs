using Amazon.Runtime;
using BuildEngine;

/// <summary>Turns what the SDK throws into one sentence the operator can act on.</summary>
public static class AwsErrors
{
    /// <summary>Runs one AWS call; failures become a <see cref="BuildException"/> naming the operation.</summary>
    public static async Task<T> Call<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Explain(operation, e) is { } explained)
        {
            throw explained;
        }
    }

    public static BuildException? Explain(string operation, Exception e) => e switch
    {
        BuildException => null,
        OperationCanceledException => null,
        AmazonServiceException { ErrorCode: "AuthFailure" or "InvalidClientTokenId" or "UnrecognizedClientException" or "SignatureDoesNotMatch" or "ExpiredToken" or "ExpiredTokenException" } s =>
            new BuildException($"AWS rejected the credentials on {operation} ({s.ErrorCode}: {Sentence(s.Message)}); refresh them (e.g. `aws sso login`) or check AWS_PROFILE."),
        AmazonServiceException { ErrorCode: "OptInRequired" } =>
            new BuildException($"The region is not enabled for this AWS account ({operation} answered OptInRequired); enable it in the account settings or pass another --region."),
        AmazonServiceException { ErrorCode: "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException" } s =>
            new AwsAccessDeniedException(operation, $"These credentials may not call {operation} ({s.ErrorCode}); grant it to the role or use another AWS_PROFILE."),
        AmazonServiceException s =>
            new BuildException($"AWS {operation} failed: {s.ErrorCode ?? s.StatusCode.ToString()}: {Sentence(s.Message)}."),
        AmazonClientException c when c.Message.Contains("SSO", StringComparison.Ordinal) =>
            new BuildException($"The AWS SSO session is missing or expired ({Sentence(c.Message)}); run `aws sso login` and try again."),
        HttpRequestException or AmazonClientException =>
            new BuildException($"AWS {operation} failed before AWS answered: {Sentence(Innermost(e).Message)}."),
        _ => null,
    };

    static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    static string Sentence(string? message) => (message ?? "").Trim().TrimEnd('.');
}

/// <summary>AWS refused the call for lack of permission; <see cref="Action"/> is the IAM action (e.g. ssm:SendCommand).</summary>
public sealed class AwsAccessDeniedException(string operation, string message) : BuildException(message)
{
    public string Action { get; } = operation.Split(' ')[0];
}
