using BuildEngine;

/// <summary>
/// Deploy's answer to VolumeInUse (AWS still has the data volume attached to an old instance): refresh and up once when
/// --auto-recover asks for it, otherwise the commands that recover.
/// </summary>
sealed class VolumeInUseRecovery(PulumiStack pulumi, string stack, bool autoRecover)
{
    /// <summary>Returns when a retried up succeeded; otherwise throws what the operator should do.</summary>
    public async Task RecoverAsync(PulumiResult up, bool refreshed)
    {
        if (!PulumiErrors.IsVolumeInUse(up)) throw PulumiErrors.Explain(up, stack);
        if (refreshed) throw StillInUse();
        if (!autoRecover)
            throw new BuildException($"Deploy failed with VolumeInUse: AWS still has the data volume attached to an instance; run ./build.sh Redeploy --stack {stack} " +
                                     $"(refresh, then deploy; --auto-recover does it by itself), and if that fails the same way, ./build.sh DetachVolume --stack {stack}, then Deploy.");

        Log.Warning("AWS still has the data volume attached (VolumeInUse); --auto-recover: refreshing the stack, then deploying again (Redeploy).");
        await pulumi.RefreshAsync();
        up = await pulumi.UpAsync();
        if (up.Succeeded) return;
        throw PulumiErrors.IsVolumeInUse(up) ? StillInUse() : PulumiErrors.Explain(up, stack);
    }

    BuildException StillInUse() =>
        new($"Deploy still fails with VolumeInUse after a refresh: detach the stale attachment with ./build.sh DetachVolume --stack {stack} (see VolumeStatus), then run ./build.sh Deploy --stack {stack}.");
}
