using BuildEngine;

/// <summary>
/// Doctor's screen: every check of <see cref="StackHealth"/> (one method a check), the spot request's, and the alarms;
/// without outputs or credentials, that failure and the stack config's. Exit codes follow the monitoring-plugin convention.
/// </summary>
sealed class DoctorChecks(StackContext run)
{
    /// <summary>So cron or CI can alert on either: 0 healthy, 1 warnings, 2 failures.</summary>
    public static int ExitCode(IEnumerable<HealthCheck> checks) =>
        checks.Max(c => c.Status switch { HealthStatus.Fail => 2, HealthStatus.Warn => 1, _ => 0 });

    public async Task<IReadOnlyList<HealthCheck>> AllAsync()
    {
        IReadOnlyDictionary<string, string> outputs;
        AwsSession aws;
        try
        {
            outputs = await run.OutputsAsync();
        }
        catch (BuildException e)
        {
            return [HealthCheck.Fail("Stack outputs", e.Message), await StackHealth.StackConfigAsync(run.State, run.Stack, run.CancellationToken)];
        }
        try
        {
            aws = await run.AwsAsync(outputs);
        }
        catch (BuildException e)
        {
            return [HealthCheck.Fail("AWS credentials", e.Message), await StackHealth.StackConfigAsync(run.State, run.Stack, run.CancellationToken)];
        }
        var health = new StackHealth(aws, run.Stack, outputs, run.State, run.Time, run.CancellationToken);
        var alarms = health.AlarmsAsync();
        var checks = await Task.WhenAll(health.All().Append(SpotCapacityAsync(aws, outputs)));
        return [.. checks, .. await alarms];
    }

    /// <summary>The spot request's line; VolumeStatus prints it too when the request keeps the instance from running.</summary>
    public Task<HealthCheck> SpotCapacityAsync(AwsSession aws, IReadOnlyDictionary<string, string> outputs) =>
        HealthCheck.RunAsync(SpotCapacityDiagnosis.CheckName, async () =>
        {
            var instanceType = await run.ConfigAsync(Contract.Config.InstanceType) ?? Contract.Default(Contract.Config.InstanceType);
            return await new SpotCapacityDiagnosis(aws, run.Time, run.CancellationToken)
                .CheckAsync(outputs.GetValueOrDefault(Contract.Output.InstanceId), instanceType, outputs.GetValueOrDefault(Contract.Output.AvailabilityZone), run.Stack);
        });
}
