using BuildEngine;

/// <summary>
/// Move's last step: the stack config that restores from the moved copy. An AZ move pins the new AZ and the copy in the
/// stack (Deploy follows); a region move writes a new stack's config from this one's portable keys.
/// </summary>
sealed class MovedStackConfig(StackContext run, MovePlan plan, string copyId)
{
    /// <summary>The keys a region move copies from the old stack's config; the regional ones (AZ, snapshot, AMI, bucket, dr_region) are not.</summary>
    static IEnumerable<string> PortableConfigKeys =>
    [
        Contract.Config.InstanceType, Contract.Config.DataVolumeSizeGib, Contract.Config.DataDeviceName, Contract.Config.SnapshotScheduleIntervalHours,
        Contract.Config.SnapshotScheduleTime, Contract.Config.SnapshotRetentionDays, Contract.Config.BackupIntervalMinutes, Contract.Config.OpenclawImage,
        Contract.Config.SsmEnvParameter, Contract.Config.LogRetentionDays, Contract.Config.AutoApproveDevices, Contract.Config.KmsKey, Contract.Config.DrRetentionDays,
    ];

    public async Task PinAsync()
    {
        await run.SetConfigAsync(Contract.Config.DataVolumeSnapshotId, copyId);
        await run.SetConfigAsync(Contract.Config.AvailabilityZone, plan.ToZone);
        await run.PinRegionAsync(plan.ToRegion);
        Log.Information($"Stack {run.Stack} now pins {plan.ToZone} and restores from {copyId}; Deploy follows.");
    }

    public async Task CreateRegionStackAsync(IStackState target)
    {
        var cancellationToken = run.CancellationToken;
        foreach (var key in PortableConfigKeys)
            if (await run.ConfigAsync(key) is { } value)
                await target.SetConfigAsync(key, value, cancellationToken: cancellationToken);
        await target.SetConfigAsync(Contract.RegionKey, plan.ToRegion, cancellationToken: cancellationToken);
        await target.SetConfigAsync(Contract.Config.AvailabilityZone, plan.ToZone, cancellationToken: cancellationToken);
        await target.SetConfigAsync(Contract.Config.DataVolumeSnapshotId, copyId, cancellationToken: cancellationToken);
        var (stack, newStack) = (run.Stack, plan.NewStack);
        Log.Information($"Stack {newStack} is configured for {plan.ToZone} ({plan.InstanceType}) and restores from {copyId}.");
        Log.Information($"Next: put the secrets into {plan.ToRegion} with ./build.sh Secrets --stack {newStack} --region {plan.ToRegion}, " +
                        $"then ./build.sh Deploy --stack {newStack} --region {plan.ToRegion}.");
        Log.Information($"Copies of the new stack's snapshots: set {Contract.Config.DrRegion} on stack {newStack} (e.g. {plan.FromRegion} once it is back).");
        Log.Warning($"Left behind in {plan.FromRegion}, untouched: stack {stack} (its instance and spot request, data volume, VPC, DLM policy, KMS key, " +
                    $"log groups), its snapshots, its backup bucket with every S3 archive, and its secrets parameter. Once {plan.FromRegion} is back, " +
                    $"take what you need from there and retire it with ./build.sh Destroy --stack {stack} (it takes a final snapshot first).");
    }
}
