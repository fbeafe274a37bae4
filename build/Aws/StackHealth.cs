using System.Globalization;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using static Formats;

/// <summary>
/// Doctor's checks of a deployed stack, one method per line of its screen. Intervals and names come from what the
/// stack exports and what AWS holds (outputs, the DLM policy), never from copies of the stack's defaults.
/// </summary>
public sealed class StackHealth(AwsSession aws, string stack, IReadOnlyDictionary<string, string> outputs, IStackState state, TimeProvider time, CancellationToken cancellationToken)
{
    Task<List<DlmPolicy>>? _policies;

    DateTime Now => time.GetUtcNow().UtcDateTime;

    string? InstanceId => outputs.GetValueOrDefault(Contract.Output.InstanceId);
    string? VolumeId => outputs.GetValueOrDefault(Contract.Output.DataVolumeId);
    Task<List<DlmPolicy>> Policies => _policies ??= new SnapshotPolicies(aws.Dlm).ForStackAsync(stack, cancellationToken);
    SystemsManagerChecks SystemsManager => new(aws.Ssm, cancellationToken);

    /// <summary>Deployed with persistence: ephemeral: no data volume, snapshots, DLM policy or S3 backup to check.</summary>
    bool Ephemeral => outputs.GetValueOrDefault(Contract.Output.Persistence) == Contract.Persistence.Ephemeral;

    /// <summary>Every check, started together, in the order of the screen; an ephemeral stack's line says its mode instead of the data checks.</summary>
    public IEnumerable<Task<HealthCheck>> All() =>
    [
        HealthCheck.RunAsync("AWS credentials", CredentialsAsync), StackConfigAsync(state, stack, cancellationToken), HealthCheck.RunAsync("Instance", InstanceAsync),
        HealthCheck.RunAsync("Session Manager", () => SystemsManager.AgentAsync(InstanceId)), HealthCheck.RunAsync("Secrets parameter", SecretsParameterAsync),
        .. Ephemeral
            ? [Task.FromResult(HealthCheck.Ok("Persistence", $"{Contract.Persistence.Ephemeral}: the state is on the instance's root volume; " +
                                                             "no data volume, snapshots, DLM policy or S3 backup (lost when the instance is replaced or destroyed)"))]
            : (Task<HealthCheck>[])
            [
                HealthCheck.RunAsync("Data volume", DataVolumeAsync), HealthCheck.RunAsync("Newest snapshot", NewestSnapshotAsync),
                HealthCheck.RunAsync("DLM policy", DlmPolicyAsync), HealthCheck.RunAsync("S3 backup", S3BackupAsync),
            ],
    ];

    /// <summary>Stack config: an instance type and an AZ are pinned (needs only the stack, not AWS).</summary>
    public static Task<HealthCheck> StackConfigAsync(IStackState state, string stack, CancellationToken cancellationToken) => HealthCheck.RunAsync("Stack config", async () =>
    {
        var (zoneKey, typeKey) = (Contract.Config.AvailabilityZone, Contract.Config.InstanceType);
        var zone = await state.GetConfigAsync(zoneKey, cancellationToken);
        var type = await state.GetConfigAsync(typeKey, cancellationToken);
        return zone is null || type is null
            ? HealthCheck.Fail("Stack config", $"stack {stack} has no {(zone is null ? zoneKey : typeKey)}: run ./build.sh ConfigureAz --stack {stack}")
            : HealthCheck.Ok("Stack config", $"{type} in {zone}");
    });

    public async Task<HealthCheck> CredentialsAsync()
    {
        var identity = await aws.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
        return HealthCheck.Ok("AWS credentials", $"account {identity.Account} as {identity.Arn}, region {aws.Region}");
    }

    public async Task<HealthCheck> InstanceAsync()
    {
        const string name = "Instance";
        if (InstanceId is not { } id) return HealthCheck.Warn(name, $"no {Contract.Output.InstanceId} output: stack {stack} is not deployed");
        var instances = await new DataVolumes(aws.Ec2, aws.Region).InstancesAsync([id], cancellationToken);
        var state = instances.GetValueOrDefault(id)?.State?.Name?.Value;
        return state switch
        {
            "running" => HealthCheck.Ok(name, $"{id} running ({instances[id].InstanceType?.Value})"),
            null or "terminated" or "shutting-down" => HealthCheck.Fail(name, $"{id} is {state ?? "gone"}: run ./build.sh Redeploy --stack {stack}"),
            _ => HealthCheck.Warn(name, $"{id} is {state}"),
        };
    }

    /// <summary>The parameter the stack's instance reads its secrets from (ssm_env_parameter output).</summary>
    public async Task<HealthCheck> SecretsParameterAsync() =>
        outputs.GetValueOrDefault(Contract.Output.SsmEnvParameter) is { Length: > 0 } parameter
            ? await SystemsManager.ParameterAsync(parameter, stack, outputs.GetValueOrDefault(Contract.Output.KmsKeyAlias))
            : Redeploy("Secrets parameter", Contract.Output.SsmEnvParameter);

    public async Task<HealthCheck> DataVolumeAsync()
    {
        const string name = "Data volume";
        if (VolumeId is not { } volumeId) return HealthCheck.Warn(name, $"no {Contract.Output.DataVolumeId} output");
        var volume = await new DataVolumes(aws.Ec2, aws.Region).GetAsync(volumeId, cancellationToken);
        var attachment = (volume.Attachments ?? []).FirstOrDefault(a => a.State == Amazon.EC2.AttachmentStatus.Attached);
        return attachment is not null && attachment.InstanceId == InstanceId
            ? HealthCheck.Ok(name, $"{volumeId} attached to {InstanceId} as {attachment.Device}")
            : HealthCheck.Fail(name, $"{volumeId} is {(attachment is null ? "not attached" : $"attached to {attachment.InstanceId}, not {InstanceId}")}: see ./build.sh VolumeStatus");
    }

    /// <summary>The newest completed snapshot, against the schedule of the stack's enabled DLM policy.</summary>
    public async Task<HealthCheck> NewestSnapshotAsync()
    {
        const string name = "Newest snapshot";
        var newest = SnapshotCatalog.NewestCompleted(await new SnapshotCatalog(aws.Ec2, aws.Region).ForStackAsync(stack, cancellationToken));
        if (newest is null) return HealthCheck.Warn(name, $"no completed snapshot of stack {stack} yet");
        var age = SnapshotCatalog.AgeOf(newest, Now);
        if ((await Policies).FirstOrDefault(p => p.State == "ENABLED")?.ShortestPeriod is not { } period)
            return HealthCheck.Warn(name, $"{newest.SnapshotId}, {Age(age)} old (no enabled DLM schedule to compare with)");
        var text = $"{newest.SnapshotId}, {Age(age)} old (schedule: every {Age(period)})";
        return age > period + SnapshotPolicies.OnScheduleSlack ? HealthCheck.Warn(name, text + ": overdue") : HealthCheck.Ok(name, text);
    }

    public async Task<HealthCheck> DlmPolicyAsync()
    {
        const string name = "DLM policy";
        var policies = await Policies;
        return policies.FirstOrDefault(p => p.State == "ENABLED") is { } p
            ? HealthCheck.Ok(name, $"{p.PolicyId} ENABLED, {string.Join("; ", p.Schedules.Select(s => s.CreateRule?.Text))}")
            : HealthCheck.Fail(name, policies.Count == 0 ? $"no policy targets {Contract.Tag.Stack}={stack}" : $"{policies[0].PolicyId} is {policies[0].State}");
    }

    /// <summary>The newest object the instance's backup wrote under s3://&lt;backup_bucket&gt;/&lt;stack&gt;/, against its interval (an output).</summary>
    public async Task<HealthCheck> S3BackupAsync()
    {
        const string name = "S3 backup";
        if (outputs.GetValueOrDefault(Contract.Output.BackupBucket) is not { Length: > 0 } bucket) return HealthCheck.Warn(name, $"no {Contract.Output.BackupBucket} output");
        if (!double.TryParse(outputs.GetValueOrDefault(Contract.Output.BackupIntervalMinutes), CultureInfo.InvariantCulture, out var minutes))
            return Redeploy(name, Contract.Output.BackupIntervalMinutes);
        var interval = TimeSpan.FromMinutes(minutes);
        var newest = await NewestObjectAsync(bucket, stack + "/");
        if (newest is null) return HealthCheck.Warn(name, $"nothing under s3://{bucket}/{stack}/ yet");
        var age = Now - newest.Value;
        var text = $"s3://{bucket}/{stack}/ last written {Age(age)} ago (every {Age(interval)})";
        return age > 3 * interval ? HealthCheck.Warn(name, text + ": overdue") : HealthCheck.Ok(name, text);
    }

    /// <summary>
    /// The stack's CloudWatch alarms (named <c>openclaw-&lt;stack&gt;-*</c>), a line each: OK is ok, ALARM fails with the
    /// alarm's reason, INSUFFICIENT_DATA warns; none at all warns that the stack predates alarms.
    /// </summary>
    public async Task<IReadOnlyList<HealthCheck>> AlarmsAsync()
    {
        const string name = "Alarms";
        var prefix = CloudWatchAlarms.PrefixOf(stack);
        IReadOnlyList<AlarmState> alarms;
        try
        {
            alarms = await aws.Alarms.WithPrefixAsync(prefix, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [HealthCheck.Fail(name, (AwsErrors.Explain("cloudwatch:DescribeAlarms", e) ?? e).Message)];
        }
        if (alarms.Count == 0)
            return [HealthCheck.Warn(name, $"no CloudWatch alarm named {prefix}*: stack {stack} predates alarms; run ./build.sh Deploy --stack {stack} to create them")];
        return alarms.Select(a =>
        {
            var since = a.Since is { } time ? $" since {Utc(time)} UTC" : "";
            var reason = string.IsNullOrWhiteSpace(a.Reason) ? "" : $": {a.Reason.Trim()}";
            return a.State switch
            {
                "OK" => HealthCheck.Ok($"Alarm {a.Name}", $"OK{since}"),
                "ALARM" => HealthCheck.Fail($"Alarm {a.Name}", $"ALARM{since}{reason}"),
                _ => HealthCheck.Warn($"Alarm {a.Name}", $"{a.State}{since}{reason}"),
            };
        }).ToList();
    }

    /// <summary>A stack deployed before the output existed: the next Deploy exports it.</summary>
    HealthCheck Redeploy(string name, string output) =>
        HealthCheck.Warn(name, $"stack {stack} has no {output} output (deployed by an older version): run ./build.sh Deploy --stack {stack} to export it");

    async Task<DateTime?> NewestObjectAsync(string bucket, string prefix)
    {
        DateTime? newest = null;
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        await foreach (var item in aws.S3.Paginators.ListObjectsV2(request).S3Objects.WithCancellation(cancellationToken))
            if (item.LastModified is { } modified && (newest is null || modified > newest)) newest = modified.ToUniversalTime();
        return newest;
    }
}
