using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>When something is off: the data volume's attachments, detaching a stale one, and Doctor's health screen.</summary>
partial class Build
{
    [Parameter("DetachVolume: also detach from the stack's own running instance.")]
    public bool Force;

    Target VolumeStatus => _ => _
        .Description("Shows the data volume's attachments.")
        .Executes(async () =>
        {
            var (_, volume, instances, stackInstanceId) = await DataVolumeStateAsync();
            var table = new Table().Border(TableBorder.Simple).Title($"Data volume {volume.VolumeId} ({volume.Size} GiB, {volume.AvailabilityZone}): {volume.State?.Value}")
                .AddColumns("Instance", "Device", "Attachment", "Attached (UTC)", "Instance state", "Stale");
            foreach (var a in volume.Attachments ?? [])
                table.AddRow(a.InstanceId + (a.InstanceId == stackInstanceId ? " (stack)" : ""), a.Device ?? "", a.State?.Value ?? "", Utc(a.AttachTime),
                    InstanceState(instances, a.InstanceId), IsStale(a, instances, stackInstanceId) ? "[yellow]yes[/]" : "no");
            Console.Write(table);
            if ((volume.Attachments ?? []).Count == 0) Log.Information($"{volume.VolumeId} is not attached to any instance.");
            else if ((volume.Attachments ?? []).Any(a => IsStale(a, instances, stackInstanceId)))
                Log.Warning($"{volume.VolumeId} has a stale attachment (not the stack's running instance {stackInstanceId ?? "(none)"}); ./build.sh DetachVolume --stack {Stack} detaches it.");
        });

    Target DetachVolume => _ => _
        .Description("Detaches a stale attachment of the data volume (VolumeInUse recovery).")
        .Executes(async () =>
        {
            var (aws, volume, instances, stackInstanceId) = await DataVolumeStateAsync();
            var attachments = (volume.Attachments ?? []).Where(a => a.State != AttachmentStatus.Detached).ToList();
            if (attachments.Count == 0)
            {
                Log.Information($"{volume.VolumeId} is not attached; nothing to detach.");
                return;
            }
            var detach = attachments.Where(a => Force || IsStale(a, instances, stackInstanceId)).ToList();
            if (detach.Count == 0)
                throw new BuildException($"{volume.VolumeId} is attached only to the stack's running instance {stackInstanceId}, so nothing is stale; pass --force to detach it anyway (the instance loses /opt/openclaw).");

            foreach (var a in detach)
            {
                await AwsErrors.Call("ec2:DetachVolume", () => aws.Ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume.VolumeId, InstanceId = a.InstanceId }, CancellationToken));
                Log.Information($"Detaching {volume.VolumeId} from {a.InstanceId} ({a.Device}).");
            }
            var volumes = new DataVolumes(aws.Ec2, aws.Region);
            await Waiter.WaitAsync(Console, $"Volume {volume.VolumeId}", PollInterval, WaitTimeout, async () =>
            {
                var state = (await volumes.GetAsync(volume.VolumeId, CancellationToken)).State;
                return new WaitState(state == Amazon.EC2.VolumeState.Available, state == Amazon.EC2.VolumeState.Available ? 100 : 0, state?.Value ?? "?");
            }, s => $"{volume.VolumeId} is still {s.Status} after {WaitTimeout}; check ./build.sh VolumeStatus --stack {Stack}.", CancellationToken);
            Log.Information($"{volume.VolumeId} is available; run ./build.sh Deploy --stack {Stack}.");
        });

    Target Doctor => _ => _
        .Description("One screen of health: credentials, stack, instance, Session Manager, secrets parameter, volume, snapshots, DLM, backups.")
        .Executes(async () =>
        {
            var checks = await DoctorChecksAsync();
            var table = new Table().Border(TableBorder.Simple).Title($"Health of stack {Stack}").AddColumns("Check", "Status", "Detail");
            foreach (var c in checks)
                table.AddRow(c.Name, c.Status switch { HealthStatus.Ok => "[green]ok[/]", HealthStatus.Warn => "[yellow]warn[/]", _ => "[red]fail[/]" }, Markup.Escape(c.Detail));
            Console.Write(table);
            var failed = checks.Where(c => c.Status == HealthStatus.Fail).Select(c => c.Name).ToList();
            if (failed.Count > 0) throw new BuildException($"Doctor found {failed.Count} failing check(s): {string.Join(", ", failed)}.");
        });

    async Task<IReadOnlyList<HealthCheck>> DoctorChecksAsync()
    {
        IReadOnlyDictionary<string, string> outputs;
        try
        {
            outputs = await StackState.GetOutputsAsync(CancellationToken);
        }
        catch (BuildException e)
        {
            return [HealthCheck.Fail("Stack outputs", e.Message), await StackConfigCheckAsync()];
        }
        AwsSession aws;
        try
        {
            aws = await AwsAsync(outputs.GetValueOrDefault("region"));
        }
        catch (BuildException e)
        {
            return [HealthCheck.Fail("AWS credentials", e.Message), await StackConfigCheckAsync()];
        }
        var instanceId = outputs.GetValueOrDefault("instance_id");
        var volumeId = outputs.GetValueOrDefault("data_volume_id");
        return await Task.WhenAll(
            HealthCheck.RunAsync("AWS credentials", async () =>
            {
                var identity = await aws.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), CancellationToken);
                return HealthCheck.Ok("AWS credentials", $"account {identity.Account} as {identity.Arn}, region {aws.Region}");
            }),
            StackConfigCheckAsync(),
            HealthCheck.RunAsync("Instance", async () =>
            {
                if (instanceId is null) return HealthCheck.Warn("Instance", $"no instance_id output: stack {Stack} is not deployed");
                var instances = await new DataVolumes(aws.Ec2, aws.Region).InstancesAsync([instanceId], CancellationToken);
                var state = instances.GetValueOrDefault(instanceId)?.State?.Name?.Value;
                return state switch
                {
                    "running" => HealthCheck.Ok("Instance", $"{instanceId} running ({instances[instanceId].InstanceType?.Value})"),
                    null or "terminated" or "shutting-down" => HealthCheck.Fail("Instance", $"{instanceId} is {state ?? "gone"}: run ./build.sh Redeploy --stack {Stack}"),
                    _ => HealthCheck.Warn("Instance", $"{instanceId} is {state}"),
                };
            }),
            HealthCheck.RunAsync("Session Manager", () => new SystemsManagerChecks(aws.Ssm, CancellationToken).AgentAsync(instanceId)),
            HealthCheck.RunAsync("Secrets parameter", async () => await new SystemsManagerChecks(aws.Ssm, CancellationToken)
                .ParameterAsync(await StackState.GetConfigAsync("ssm_env_parameter", CancellationToken) ?? $"/openclaw/{Stack}/env")),
            HealthCheck.RunAsync("Data volume", async () =>
            {
                if (volumeId is null) return HealthCheck.Warn("Data volume", "no data_volume_id output");
                var volume = await new DataVolumes(aws.Ec2, aws.Region).GetAsync(volumeId, CancellationToken);
                var attachment = (volume.Attachments ?? []).FirstOrDefault(a => a.State == AttachmentStatus.Attached);
                return attachment is not null && attachment.InstanceId == instanceId
                    ? HealthCheck.Ok("Data volume", $"{volumeId} attached to {instanceId} as {attachment.Device}")
                    : HealthCheck.Fail("Data volume", $"{volumeId} is {(attachment is null ? "not attached" : $"attached to {attachment.InstanceId}, not {instanceId}")}: see ./build.sh VolumeStatus");
            }),
            HealthCheck.RunAsync("Newest snapshot", async () =>
            {
                var interval = TimeSpan.FromHours(await ConfigNumberAsync("snapshot_schedule_interval_hours", 24));
                var newest = SnapshotCatalog.NewestCompleted(await Catalog(aws).ForStackAsync(Stack, CancellationToken));
                if (newest is null) return HealthCheck.Warn("Newest snapshot", $"no completed snapshot of stack {Stack} yet");
                var text = $"{newest.SnapshotId}, {Age(SnapshotAge(newest))} old (schedule: every {Age(interval)})";
                return SnapshotAge(newest) > interval + OnScheduleSlack ? HealthCheck.Warn("Newest snapshot", text + ": overdue") : HealthCheck.Ok("Newest snapshot", text);
            }),
            HealthCheck.RunAsync("DLM policy", async () =>
            {
                var policies = await StackPoliciesAsync(aws);
                return policies.FirstOrDefault(p => p.State == "ENABLED") is { } p
                    ? HealthCheck.Ok("DLM policy", $"{p.PolicyId} ENABLED, {string.Join("; ", p.Schedules.Select(s => s.CreateRule?.Text))}")
                    : HealthCheck.Fail("DLM policy", policies.Count == 0 ? $"no policy targets OpenClawStack={Stack}" : $"{policies[0].PolicyId} is {policies[0].State}");
            }),
            HealthCheck.RunAsync("S3 backup", async () =>
            {
                var bucket = outputs.GetValueOrDefault("backup_bucket") ?? await StackState.GetConfigAsync("backup_bucket_name", CancellationToken);
                if (bucket is null) return HealthCheck.Warn("S3 backup", "no backup_bucket output");
                var newest = await NewestBackupAsync(aws, bucket);
                var interval = TimeSpan.FromMinutes(await ConfigNumberAsync("backup_interval_minutes", 20));
                if (newest is null) return HealthCheck.Warn("S3 backup", $"nothing under s3://{bucket}/{Stack}/ yet");
                var age = DateTime.UtcNow - newest.Value;
                var text = $"s3://{bucket}/{Stack}/ last written {Age(age)} ago (every {Age(interval)})";
                return age > 3 * interval ? HealthCheck.Warn("S3 backup", text + ": overdue") : HealthCheck.Ok("S3 backup", text);
            }));
    }

    Task<HealthCheck> StackConfigCheckAsync() => HealthCheck.RunAsync("Stack config", async () =>
    {
        var zone = await StackState.GetConfigAsync("availability_zone", CancellationToken);
        var type = await StackState.GetConfigAsync("instance_type", CancellationToken);
        return zone is null || type is null
            ? HealthCheck.Fail("Stack config", $"stack {Stack} has no {(zone is null ? "availability_zone" : "instance_type")}: run ./build.sh ConfigureAz --stack {Stack}")
            : HealthCheck.Ok("Stack config", $"{type} in {zone}");
    });

    async Task<DateTime?> NewestBackupAsync(AwsSession aws, string bucket)
    {
        DateTime? newest = null;
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = Stack + "/" };
        await foreach (var item in aws.S3.Paginators.ListObjectsV2(request).S3Objects.WithCancellation(CancellationToken))
            if (item.LastModified is { } modified && (newest is null || modified > newest)) newest = modified.ToUniversalTime();
        return newest;
    }

    async Task<double> ConfigNumberAsync(string key, double fallback) =>
        double.TryParse(await StackState.GetConfigAsync(key, CancellationToken), System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>The data volume named by the stack outputs, the instances its attachments name, and the stack's instance.</summary>
    async Task<(AwsSession Aws, Volume Volume, Dictionary<string, Instance> Instances, string? StackInstanceId)> DataVolumeStateAsync()
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (!outputs.TryGetValue("data_volume_id", out var volumeId) || string.IsNullOrEmpty(volumeId))
            throw new BuildException($"Stack {Stack} has no data_volume_id output (never deployed?); run ./build.sh Refresh --stack {Stack} if it exists in AWS.");
        var aws = await AwsAsync(outputs.GetValueOrDefault("region"));
        var volumes = new DataVolumes(aws.Ec2, aws.Region);
        var volume = await volumes.GetAsync(volumeId, CancellationToken);
        var instances = await volumes.InstancesAsync((volume.Attachments ?? []).Select(a => a.InstanceId), CancellationToken);
        return (aws, volume, instances, outputs.GetValueOrDefault("instance_id"));
    }

    /// <summary>Stale: the attachment names an instance other than the stack's, or the stack's instance is not running.</summary>
    static bool IsStale(VolumeAttachment a, Dictionary<string, Instance> instances, string? stackInstanceId) =>
        a.InstanceId != stackInstanceId || instances.GetValueOrDefault(a.InstanceId)?.State?.Name != InstanceStateName.Running;

    static string InstanceState(Dictionary<string, Instance> instances, string instanceId) =>
        instances.GetValueOrDefault(instanceId)?.State?.Name?.Value ?? "(unknown to AWS)";
}
