using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>When something is off: the data volume's attachments, detaching a stale one, and Doctor's health screen.</summary>
partial class Build
{
    [Parameter("DetachVolume: also detach from the stack's own running instance.")]
    readonly bool Force;

    Target VolumeStatus => _ => _
        .Description("Shows the data volume's attachments.")
        .Executes(async () =>
        {
            var (aws, outputs, state) = await DataVolumeStateAsync();
            WriteResult(new
            {
                state.Volume.VolumeId, SizeGiB = state.Volume.Size, state.Volume.AvailabilityZone, State = state.Volume.State?.Value, state.StackInstanceId,
                Attachments = state.Attachments.Select(a => new
                {
                    a.InstanceId, a.Device, State = a.State?.Value, AttachTime = a.AttachTime?.ToUniversalTime(),
                    InstanceState = state.Instances.GetValueOrDefault(a.InstanceId)?.State?.Name?.Value, Stale = state.IsStale(a),
                }),
            }, () => WriteAttachments(state));
            if (state.Attachments.Count == 0) Log.Information($"{state.Volume.VolumeId} is not attached to any instance.");
            else if (state.Attachments.Any(state.IsStale))
                Log.Warning($"{state.Volume.VolumeId} has a stale attachment (not the stack's running instance {state.StackInstanceId ?? "(none)"}); ./build.sh DetachVolume --stack {Stack} detaches it.");
            var spotCheck = await new DoctorChecks(Run).SpotCapacityAsync(aws, outputs);
            if (spotCheck.Status != HealthStatus.Ok) Log.Warning($"Spot request: {spotCheck.Detail}");
        });

    Target DetachVolume => _ => _
        .Description("Detaches a stale attachment of the data volume (VolumeInUse recovery).")
        .Executes(async () =>
        {
            var (aws, _, state) = await DataVolumeStateAsync();
            var volumeId = state.Volume.VolumeId;
            var attachments = state.Attachments.Where(a => a.State != Amazon.EC2.AttachmentStatus.Detached).ToList();
            if (attachments.Count == 0)
            {
                Log.Information($"{volumeId} is not attached; nothing to detach.");
                return;
            }
            // One already detaching (an interrupted run) is waited for, not asked for again.
            var detach = attachments.Where(a => a.State == Amazon.EC2.AttachmentStatus.Detaching || Force || state.IsStale(a)).ToList();
            if (detach.Count == 0)
                throw new BuildException($"{volumeId} is attached only to the stack's running instance {state.StackInstanceId}, so nothing is stale; pass --force to detach it anyway (the instance loses /opt/openclaw).");
            await new DataVolumes(aws.Ec2, aws.Region).DetachAsync(volumeId, detach, Waiting, Stack, CancellationToken);
            Log.Information($"{volumeId} is available; run ./build.sh Deploy --stack {Stack}.");
        });

    Target Doctor => _ => _
        .Description("One screen of health: credentials, stack, instance, Session Manager, secrets parameter, volume, snapshots, DLM, backups, spot capacity, alarms; exits 0 healthy, 1 warnings, 2 failures.")
        .Executes(async () =>
        {
            var checks = await new DoctorChecks(Run).AllAsync();
            WriteResult(new
            {
                Stack, ExitCode = DoctorChecks.ExitCode(checks),
                Checks = checks.Select(c => new { c.Name, c.Status, c.Detail }),
            }, () => WriteHealth(checks));
            var failed = checks.Where(c => c.Status == HealthStatus.Fail).Select(c => c.Name).ToList();
            var warned = checks.Where(c => c.Status == HealthStatus.Warn).Select(c => c.Name).ToList();
            ExitCode = DoctorChecks.ExitCode(checks);
            if (failed.Count > 0)
                throw new BuildException($"Doctor found {failed.Count} failing check(s): {string.Join(", ", failed)} (exit code 2).");
            if (warned.Count > 0)
                Log.Warning($"Doctor found {warned.Count} warning(s): {string.Join(", ", warned)} (exit code 1).");
        });

    /// <summary>The data volume named by the stack outputs, as AWS sees it, and those outputs.</summary>
    async Task<(AwsSession Aws, IReadOnlyDictionary<string, string> Outputs, DataVolumeState State)> DataVolumeStateAsync()
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId)
            throw new BuildException($"Stack {Stack} has no {Contract.Output.DataVolumeId} output (never deployed?); run ./build.sh Refresh --stack {Stack} if it exists in AWS.");
        var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
        return (aws, outputs, await new DataVolumes(aws.Ec2, aws.Region).StateAsync(volumeId, outputs.GetValueOrDefault(Contract.Output.InstanceId), CancellationToken));
    }

    void WriteAttachments(DataVolumeState state)
    {
        var volume = state.Volume;
        var table = new Table().Border(TableBorder.Simple).Title($"Data volume {volume.VolumeId} ({volume.Size} GiB, {volume.AvailabilityZone}): {volume.State?.Value}")
            .AddColumns("Instance", "Device", "Attachment", "Attached (UTC)", "Instance state", "Stale");
        foreach (var a in state.Attachments)
            table.AddRow(a.InstanceId + (a.InstanceId == state.StackInstanceId ? " (stack)" : ""), a.Device ?? "", a.State?.Value ?? "", Utc(a.AttachTime),
                state.InstanceState(a.InstanceId), state.IsStale(a) ? "[yellow]yes[/]" : "no");
        Console.Write(table);
    }

    void WriteHealth(IReadOnlyList<HealthCheck> checks)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"Health of stack {Stack}").AddColumns("Check", "Status", "Detail");
        foreach (var c in checks)
            table.AddRow(c.Name, c.Status switch { HealthStatus.Ok => "[green]ok[/]", HealthStatus.Warn => "[yellow]warn[/]", _ => "[red]fail[/]" }, Markup.Escape(c.Detail));
        Console.Write(table);
    }
}
