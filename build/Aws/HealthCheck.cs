using BuildEngine;

public enum HealthStatus { Ok, Warn, Fail }

/// <summary>One line of Doctor: what was checked, how it stands, and the detail (or what to do).</summary>
public sealed record HealthCheck(string Name, HealthStatus Status, string Detail)
{
    public static HealthCheck Ok(string name, string detail) => new(name, HealthStatus.Ok, detail);
    public static HealthCheck Warn(string name, string detail) => new(name, HealthStatus.Warn, detail);
    public static HealthCheck Fail(string name, string detail) => new(name, HealthStatus.Fail, detail);

    /// <summary>Runs a check; any failure it throws becomes a failed line instead of stopping the others.</summary>
    public static async Task<HealthCheck> RunAsync(string name, Func<Task<HealthCheck>> check)
    {
        try
        {
            return await check();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Fail(name, (AwsErrors.Explain(name, e) ?? e).Message);
        }
    }
}
