using BuildEngine;

/// <summary>
/// Move's first step: from the stack's config and outputs and the destination asked for (--availability-zone, --to best,
/// --region, --new-stack), the checked <see cref="MovePlan"/>, before anything changes.
/// </summary>
sealed class MovePlanner(StackContext run, Func<string, IStackState> stackStateOf, string? toRegion, string? toZone, MoveTo? to, string? newStack)
{
    public async Task<MovePlan> PlanAsync()
    {
        var stack = run.Stack;
        var outputs = await run.OutputsAsync();
        var fromZone = await run.ConfigAsync(Contract.Config.AvailabilityZone)
            ?? outputs.GetValueOrDefault(Contract.Output.AvailabilityZone)
            ?? throw new BuildException($"Stack {stack} pins no {Contract.Config.AvailabilityZone}, so there is nothing to move: pick one with ./build.sh ConfigureAz --stack {stack}.");
        var instanceType = await run.ConfigAsync(Contract.Config.InstanceType) ?? Contract.Default(Contract.Config.InstanceType);
        var fromRegion = await run.ConfigAsync(Contract.RegionKey)
            ?? outputs.GetValueOrDefault(Contract.Output.Region) ?? fromZone[..^1];
        if (toRegion is { } region && region != fromRegion) return await PlanRegionMoveAsync(fromRegion, fromZone, region, instanceType);

        if (newStack is not null) throw new BuildException("--new-stack names the stack of a move to another region; pass --region <region> with it, or leave it out.");
        if (toZone is null && to is null)
            throw new BuildException($"Move needs a destination: --availability-zone <az>, --to best (./build.sh Doctor --stack {stack} lists the best AZs), or --region <region>.");
        if (toZone is not null && to is not null)
            throw new BuildException("Move takes --availability-zone or --to best, not both.");
        if (toZone == fromZone)
            throw new BuildException($"Stack {stack} is already in {fromZone}; Move changed nothing (./build.sh Doctor --stack {stack} lists the best other AZs).");

        var aws = await run.AwsAsync(fromRegion);
        var zone = await ChooseZoneAsync(aws, instanceType, fromZone);
        var rerun = $"./build.sh Move --stack {stack} --availability-zone {zone}";
        var skip = await FinalSnapshotSkipReasonAsync(aws, outputs);
        var source = skip is null ? null : await new SnapshotMove(aws, run.Waiting, run.CancellationToken).SourceAsync(stack, null, rerun);
        return new MovePlan(fromRegion, fromZone, aws.Region, zone, instanceType, null, source, skip, rerun);
    }

    async Task<MovePlan> PlanRegionMoveAsync(string fromRegion, string fromZone, string region, string instanceType)
    {
        var stack = run.Stack;
        var target = StackName.Require(newStack ?? $"{stack}-{region}");
        if (target == stack) throw new BuildException($"--new-stack must differ from --stack {stack}: the stack in {fromRegion} stays as it is.");
        if (await stackStateOf(target).GetConfigAsync(Contract.Config.AvailabilityZone, run.CancellationToken) is { } pinned)
            throw new BuildException($"Stack {target} exists already (it pins {pinned}); name another with --new-stack <name>, or deploy that one.");
        var aws = await run.AwsAsync();
        var zone = await ChooseZoneAsync(aws, instanceType, null);
        var rerun = $"./build.sh Move --stack {stack} --region {region} --availability-zone {zone}" + (newStack is null ? "" : $" --new-stack {target}");
        // DLM's copies carry the source snapshot's tags (OpenClawStack=<this stack>, OpenClawAz=<old az>).
        var source = await new SnapshotMove(aws, run.Waiting, run.CancellationToken).SourceAsync(stack, null, rerun,
            $"DLM copies the stack's snapshots to {region} only while the stack sets {Contract.Config.DrRegion}: {region} (docs/operate.md); " +
            $"without a copy, start a stack there without data (./build.sh ConfigureAz --stack {target} --region {region}).");
        return new MovePlan(fromRegion, fromZone, region, zone, instanceType, target, source,
            $"the move to {region} restores from the copies DLM made there ({Contract.Config.DrRegion}); nothing in {fromRegion} is read or changed", rerun);
    }

    /// <summary>--availability-zone, checked (in the region, offering the type); or the best AZ by <see cref="AzRanking"/>.</summary>
    async Task<string> ChooseZoneAsync(AwsSession aws, string instanceType, string? fromZone)
    {
        if (toZone is { } zone)
        {
            if (!ZoneChecks.IsZoneOf(zone, aws.Region))
                throw new BuildException($"{zone} is not an availability zone of {aws.Region} (they look like {aws.Region}a); pass one of {aws.Region}'s zones, or --region for another region.");
            await new ZoneChecks(run, aws).RequireOfferedAsync(instanceType, zone);
            return zone;
        }
        var alternatives = await new SpotCapacityDiagnosis(aws, run.Time, run.CancellationToken).AlternativesAsync(instanceType, fromZone);
        var best = alternatives.FirstOrDefault()
            ?? throw new BuildException($"No {(fromZone is null ? "" : "other ")}AZ of {aws.Region} has a spot price for {instanceType}; try another --region.");
        Log.Information($"Best AZ for {instanceType} in {aws.Region}: {best.Text} (of {string.Join("; ", alternatives.Select(a => a.Text))}).");
        return best.Zone;
    }

    /// <summary>Why there is no final snapshot to take: no volume output, or AWS no longer has the volume; null when there is one.</summary>
    async Task<string?> FinalSnapshotSkipReasonAsync(AwsSession aws, IReadOnlyDictionary<string, string> outputs)
    {
        var stack = run.Stack;
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is not { Length: > 0 } volumeId)
            return $"stack {stack} has no {Contract.Output.DataVolumeId} output (its instance and data volume are gone); Move uses the newest completed snapshot";
        return await new DataVolumes(aws.Ec2, aws.Region).ExistsAsync(volumeId, run.CancellationToken)
            ? null
            : $"data volume {volumeId} of stack {stack} no longer exists in {aws.Region} (the instance and volume are gone); Move uses the newest completed snapshot";
    }
}
