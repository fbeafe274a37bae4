using Amazon.EC2.Model;
using BuildEngine;
using static Formats;

/// <summary>
/// When Spot capacity or a region fails: Doctor's and VolumeStatus's reading of the spot request, and Move, which takes the
/// stack's newest data to another AZ (a final snapshot, its acknowledged copy for the new AZ, the pin, Deploy) or to another
/// region (from the copies DLM makes there with dr_region, into a new stack config).
/// </summary>
partial class Build
{
    [Parameter("Move: best picks the AZ by ConfigureAz's rule (cheapest spot price now, AZs with a placement score of 1-3 last), other than the current one.")]
    readonly MoveTo? To;

    [Parameter("Move --region: the stack to create for the new region (default <stack>-<region>).")]
    [Matches(StackName.Pattern, StackName.Accepted)]
    readonly string? NewStack;

    /// <summary>Where Move goes, decided by MoveDestination before anything changes.</summary>
    MovePlan? _move;

    /// <summary>The copy for the new AZ that Move pins, once MoveSnapshot completed it.</summary>
    string? _movedSnapshotId;

    /// <summary>Another stack's config (Move --region's new stack): the pulumi CLI driver, or a fake set by tests.</summary>
    internal Func<string, IStackState>? StackStateOf;

    IStackState OtherStackState(string stack) =>
        StackStateOf?.Invoke(stack) ?? new PulumiStack(new PulumiCli(InfraDirectory, Environment, PulumiBackend, CancellationToken), stack);

    Target MoveDestination => _ => _
        .Unlisted()
        .Description("Move: picks and checks the new AZ or region and the snapshot to move from, shows the steps and asks.")
        .Before(FinalSnapshot)
        .Executes(async () =>
        {
            _move = await PlanMoveAsync();
            WriteMovePlan(_move);
            Confirm($"Move stack {Stack} from {_move.FromZone} to {_move.ToZone}{(_move.CrossesRegions ? $" (new stack {_move.NewStack})" : "")}?", "Move");
        });

    Target MoveSnapshot => _ => _
        .Unlisted()
        .Description($"Move: copies the data snapshot for the new AZ ({Contract.Tag.Az}=<new az>, {Contract.Tag.MovedFrom}=<old az>/<snapshot>) and waits for it.")
        .DependsOn(MoveDestination)
        .After(FinalSnapshot)
        .Executes(async () =>
        {
            var plan = _move!;
            var aws = plan.CrossesRegions ? await AwsAsync() : await AwsAsync(plan.FromRegion);
            var mover = new SnapshotMove(aws, Waiting, CancellationToken);
            var source = CompletedFinalSnapshotId is { } final
                ? await new SnapshotCatalog(aws.Ec2, aws.Region).GetAsync(final, CancellationToken)
                : plan.Source ?? await mover.SourceAsync(Stack, null, plan.Rerun);
            Log.Information($"Moving the data of {source.SnapshotId} ({Utc(source.StartTime)} UTC, {source.Tag(Contract.Tag.Az)}) to {plan.ToZone}.");
            _movedSnapshotId = await mover.CopyForZoneAsync(source, plan.NewStack ?? Stack, plan.ToZone, plan.Rerun);
        });

    Target Move => _ => _
        .Description("Moves the stack to another AZ (--availability-zone <az> | --to best) or region (--region <r>) with its newest data; asks unless --yes.")
        .DependsOn(MoveDestination, FinalSnapshot, MoveSnapshot)
        .Triggers(Deploy)
        .Executes(async () =>
        {
            var plan = _move!;
            if (plan.CrossesRegions) await CreateRegionStackAsync(plan, _movedSnapshotId!);
            else await PinMovedAsync(plan, _movedSnapshotId!);
        });

    /// <summary>Deploy follows an AZ move; a region move ends with the new stack's config (its secrets parameter comes first).</summary>
    bool DeployFollowsMove => _move is not { CrossesRegions: true };

    /// <summary>FinalSnapshot during Move: skipped (with the reason) when there is no volume to snapshot or the move crosses regions.</summary>
    bool MoveSkipsFinalSnapshot()
    {
        if (!IsScheduled(Move) || _move?.FinalSnapshotSkipped is not { } reason) return false;
        if (_move.CrossesRegions) Log.Information($"Skipping FinalSnapshot: {reason}.");
        else Log.Warning($"Skipping FinalSnapshot: {reason}.");
        return true;
    }

    SnapshotPurpose MovePurpose => new($"openclaw final snapshot before Move to {_move?.ToZone} (stack {Stack})", "Final snapshot",
        $"Move --availability-zone {_move?.ToZone}", "moved");

    async Task<MovePlan> PlanMoveAsync()
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        var fromZone = await StackState.GetConfigAsync(Contract.Config.AvailabilityZone, CancellationToken)
            ?? outputs.GetValueOrDefault(Contract.Output.AvailabilityZone)
            ?? throw new BuildException($"Stack {Stack} pins no {Contract.Config.AvailabilityZone}, so there is nothing to move: pick one with ./build.sh ConfigureAz --stack {Stack}.");
        var instanceType = await StackState.GetConfigAsync(Contract.Config.InstanceType, CancellationToken) ?? Contract.Default(Contract.Config.InstanceType);
        var fromRegion = await StackState.GetConfigAsync(Contract.RegionKey, CancellationToken)
            ?? outputs.GetValueOrDefault(Contract.Output.Region) ?? fromZone[..^1];
        if (Region is { } toRegion && toRegion != fromRegion) return await PlanRegionMoveAsync(fromRegion, fromZone, toRegion, instanceType);

        if (NewStack is not null) throw new BuildException("--new-stack names the stack of a move to another region; pass --region <region> with it, or leave it out.");
        if (AvailabilityZone is null && To is null)
            throw new BuildException($"Move needs a destination: --availability-zone <az>, --to best (./build.sh Doctor --stack {Stack} lists the best AZs), or --region <region>.");
        if (AvailabilityZone is not null && To is not null)
            throw new BuildException("Move takes --availability-zone or --to best, not both.");
        if (AvailabilityZone == fromZone)
            throw new BuildException($"Stack {Stack} is already in {fromZone}; Move changed nothing (./build.sh Doctor --stack {Stack} lists the best other AZs).");

        var aws = await AwsAsync(fromRegion);
        var toZone = await ChooseZoneAsync(aws, instanceType, fromZone);
        var rerun = $"./build.sh Move --stack {Stack} --availability-zone {toZone}";
        var skip = await FinalSnapshotSkipReasonAsync(aws, outputs);
        var source = skip is null ? null : await new SnapshotMove(aws, Waiting, CancellationToken).SourceAsync(Stack, null, rerun);
        return new MovePlan(fromRegion, fromZone, aws.Region, toZone, instanceType, null, source, skip, rerun);
    }

    async Task<MovePlan> PlanRegionMoveAsync(string fromRegion, string fromZone, string toRegion, string instanceType)
    {
        var newStack = StackName.Require(NewStack ?? $"{Stack}-{toRegion}");
        if (newStack == Stack) throw new BuildException($"--new-stack must differ from --stack {Stack}: the stack in {fromRegion} stays as it is.");
        if (await OtherStackState(newStack).GetConfigAsync(Contract.Config.AvailabilityZone, CancellationToken) is { } pinned)
            throw new BuildException($"Stack {newStack} exists already (it pins {pinned}); name another with --new-stack <name>, or deploy that one.");
        var aws = await AwsAsync();
        var toZone = await ChooseZoneAsync(aws, instanceType, null);
        var rerun = $"./build.sh Move --stack {Stack} --region {toRegion} --availability-zone {toZone}" + (NewStack is null ? "" : $" --new-stack {newStack}");
        // DLM's copies carry the source snapshot's tags (OpenClawStack=<this stack>, OpenClawAz=<old az>).
        var source = await new SnapshotMove(aws, Waiting, CancellationToken).SourceAsync(Stack, null, rerun,
            $"DLM copies the stack's snapshots to {toRegion} only while the stack sets {Contract.Config.DrRegion}: {toRegion} (docs/operate.md); " +
            $"without a copy, start a stack there without data (./build.sh ConfigureAz --stack {NewStack ?? $"{Stack}-{toRegion}"} --region {toRegion}).");
        return new MovePlan(fromRegion, fromZone, toRegion, toZone, instanceType, newStack, source,
            $"the move to {toRegion} restores from the copies DLM made there ({Contract.Config.DrRegion}); nothing in {fromRegion} is read or changed", rerun);
    }

    /// <summary>--availability-zone, checked (in the region, offering the type); or the best AZ by <see cref="AzRanking"/>.</summary>
    async Task<string> ChooseZoneAsync(AwsSession aws, string instanceType, string? fromZone)
    {
        if (AvailabilityZone is { } zone)
        {
            if (!IsZoneOf(zone, aws.Region))
                throw new BuildException($"{zone} is not an availability zone of {aws.Region} (they look like {aws.Region}a); pass one of {aws.Region}'s zones, or --region for another region.");
            await RequireOfferedAsync(aws, instanceType, zone);
            return zone;
        }
        var alternatives = await new SpotCapacityDiagnosis(aws, Time, CancellationToken).AlternativesAsync(instanceType, fromZone);
        var best = alternatives.FirstOrDefault()
            ?? throw new BuildException($"No {(fromZone is null ? "" : "other ")}AZ of {aws.Region} has a spot price for {instanceType}; try another --region.");
        Log.Information($"Best AZ for {instanceType} in {aws.Region}: {best.Text} (of {string.Join("; ", alternatives.Select(a => a.Text))}).");
        return best.Zone;
    }

    /// <summary>Why there is no final snapshot to take: no volume output, or AWS no longer has the volume; null when there is one.</summary>
    async Task<string?> FinalSnapshotSkipReasonAsync(AwsSession aws, IReadOnlyDictionary<string, string> outputs)
    {
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId)
            return $"stack {Stack} has no {Contract.Output.DataVolumeId} output (its instance and data volume are gone); Move uses the newest completed snapshot";
        var found = await AwsErrors.Call("ec2:DescribeVolumes", () => aws.Ec2.DescribeVolumesAsync(
            new DescribeVolumesRequest { Filters = [new Filter("volume-id", [volumeId])] }, CancellationToken));
        return (found.Volumes ?? []).Count > 0
            ? null
            : $"data volume {volumeId} of stack {Stack} no longer exists in {aws.Region} (the instance and volume are gone); Move uses the newest completed snapshot";
    }

    void WriteMovePlan(MovePlan plan)
    {
        var steps = new List<string>();
        if (plan.FinalSnapshotSkipped is { } reason) steps.Add($"no final snapshot: {reason}; moving from {plan.Source!.SnapshotId} ({Utc(plan.Source.StartTime)} UTC)");
        else steps.Add($"FinalSnapshot: snapshot the data volume in {plan.FromZone} and wait until it is completed");
        steps.Add($"copy it in {plan.ToRegion}, tagged {Contract.Tag.Az}={plan.ToZone} and {Contract.Tag.MovedFrom}=<its AZ>/<its id> (the recorded pass through the AZ guardrail), and wait");
        if (plan.CrossesRegions)
        {
            steps.Add($"create stack {plan.NewStack} from stack {Stack}'s config: {Contract.RegionKey}={plan.ToRegion}, {Contract.Config.AvailabilityZone}={plan.ToZone}, {Contract.Config.DataVolumeSnapshotId}=<the copy>");
            steps.Add($"not deployed yet: its secrets parameter goes into {plan.ToRegion} first (the commands follow)");
        }
        else
        {
            steps.Add($"pin {Contract.Config.AvailabilityZone}={plan.ToZone} and {Contract.Config.DataVolumeSnapshotId}=<the copy> in stack {Stack}");
            steps.Add($"Deploy: pulumi replaces the subnet, the instance (a new spot request) and the data volume in {plan.ToZone}; the old volume is deleted");
        }
        Log.Information($"Move of stack {Stack} ({plan.InstanceType}) from {plan.FromZone} to {plan.ToZone}:");
        for (var i = 0; i < steps.Count; i++) Log.Information($"  {i + 1}. {steps[i]}");
    }

    async Task PinMovedAsync(MovePlan plan, string copyId)
    {
        await StackState.SetConfigAsync(Contract.Config.DataVolumeSnapshotId, copyId, cancellationToken: CancellationToken);
        await StackState.SetConfigAsync(Contract.Config.AvailabilityZone, plan.ToZone, cancellationToken: CancellationToken);
        await PinRegionAsync(plan.ToRegion);
        Log.Information($"Stack {Stack} now pins {plan.ToZone} and restores from {copyId}; Deploy follows.");
    }

    /// <summary>The keys a region move copies from the old stack's config; the regional ones (AZ, snapshot, AMI, bucket, dr_region) are not.</summary>
    static IEnumerable<string> PortableConfigKeys =>
    [
        Contract.Config.InstanceType, Contract.Config.DataVolumeSizeGib, Contract.Config.DataDeviceName, Contract.Config.SnapshotScheduleIntervalHours,
        Contract.Config.SnapshotScheduleTime, Contract.Config.SnapshotRetentionDays, Contract.Config.BackupIntervalMinutes, Contract.Config.OpenclawImage,
        Contract.Config.SsmEnvParameter, Contract.Config.LogRetentionDays, Contract.Config.AutoApproveDevices, Contract.Config.KmsKey, Contract.Config.DrRetentionDays,
    ];

    async Task CreateRegionStackAsync(MovePlan plan, string copyId)
    {
        var target = OtherStackState(plan.NewStack!);
        foreach (var key in PortableConfigKeys)
            if (await StackState.GetConfigAsync(key, CancellationToken) is { } value)
                await target.SetConfigAsync(key, value, cancellationToken: CancellationToken);
        await target.SetConfigAsync(Contract.RegionKey, plan.ToRegion, cancellationToken: CancellationToken);
        await target.SetConfigAsync(Contract.Config.AvailabilityZone, plan.ToZone, cancellationToken: CancellationToken);
        await target.SetConfigAsync(Contract.Config.DataVolumeSnapshotId, copyId, cancellationToken: CancellationToken);
        var newStack = plan.NewStack;
        Log.Information($"Stack {newStack} is configured for {plan.ToZone} ({plan.InstanceType}) and restores from {copyId}.");
        Log.Information($"Next: put the secrets into {plan.ToRegion} with ./build.sh Secrets --stack {newStack} --region {plan.ToRegion}, " +
                        $"then ./build.sh Deploy --stack {newStack} --region {plan.ToRegion}.");
        Log.Information($"Copies of the new stack's snapshots: set {Contract.Config.DrRegion} on stack {newStack} (e.g. {plan.FromRegion} once it is back).");
        Log.Warning($"Left behind in {plan.FromRegion}, untouched: stack {Stack} (its instance and spot request, data volume, VPC, DLM policy, KMS key, " +
                    $"log groups), its snapshots, its backup bucket with every S3 archive, and its secrets parameter. Once {plan.FromRegion} is back, " +
                    $"take what you need from there and retire it with ./build.sh Destroy --stack {Stack} (it takes a final snapshot first).");
    }

    /// <summary>Doctor's line on the spot request (a hook beside StackHealth's checks).</summary>
    Task<HealthCheck> SpotCapacityCheckAsync(AwsSession aws, IReadOnlyDictionary<string, string> outputs) =>
        HealthCheck.RunAsync(SpotCapacityDiagnosis.CheckName, async () =>
        {
            var instanceType = await StackState.GetConfigAsync(Contract.Config.InstanceType, CancellationToken) ?? Contract.Default(Contract.Config.InstanceType);
            return await new SpotCapacityDiagnosis(aws, Time, CancellationToken)
                .CheckAsync(outputs.GetValueOrDefault(Contract.Output.InstanceId), instanceType, outputs.GetValueOrDefault(Contract.Output.AvailabilityZone), Stack);
        });

    /// <summary>VolumeStatus's note on the spot request when it keeps the instance from running.</summary>
    async Task ReportSpotCapacityAsync(AwsSession aws)
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        var check = await SpotCapacityCheckAsync(aws, outputs);
        if (check.Status == HealthStatus.Ok) return;
        Log.Warning($"Spot request: {check.Detail}");
    }
}

/// <summary>How Move picks the AZ without --availability-zone.</summary>
public enum MoveTo { Best }

/// <summary>Where Move goes: from the stack's AZ (and region) to another, what it moves from when there is no final snapshot, and how to run it again.</summary>
sealed record MovePlan(string FromRegion, string FromZone, string ToRegion, string ToZone, string InstanceType, string? NewStack,
    Snapshot? Source, string? FinalSnapshotSkipped, string Rerun)
{
    public bool CrossesRegions => FromRegion != ToRegion;
}
