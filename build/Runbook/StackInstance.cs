using BuildEngine;
using static Formats;

/// <summary>The stack's instance through Systems Manager: finding it, why it can't be reached, and the backup it runs.</summary>
sealed class StackInstance(StackContext run, string cli, TimeSpan pollInterval, TimeSpan waitTimeout)
{
    /// <summary>The instance named by the stack outputs and why Systems Manager can't reach it now (null when it can); null without an instance.</summary>
    public async Task<(OpenClawInstance Instance, Unreachable? Unreachable)?> FindAsync()
    {
        var outputs = await run.OutputsAsync();
        if (outputs.GetValueOrDefault(Contract.Output.InstanceId) is not { Length: > 0 } instanceId) return null;
        var aws = await run.AwsAsync(outputs);
        var instance = new OpenClawInstance(new RemoteCommands(aws.Ssm, run.Time, pollInterval, run.CancellationToken), instanceId, run.Stack, run.Console, waitTimeout) { Cli = cli };
        return (instance, await new InstanceReach(aws.Ec2, aws.Ssm, aws.Region).CheckAsync(instanceId, run.Stack, run.CancellationToken));
    }

    /// <summary>The stack's instance, once Systems Manager can reach it; otherwise one sentence saying what to run.</summary>
    public async Task<OpenClawInstance> ReachableAsync()
    {
        var (instance, unreachable) = await FindAsync()
            ?? throw new BuildException($"Stack {run.Stack} is not deployed (it has no {Contract.Output.InstanceId} output); run ./build.sh Deploy --stack {run.Stack}.");
        return unreachable is null ? instance : throw new BuildException(unreachable.Sentence);
    }

    public async Task ReportBackupAsync(CommandResult result)
    {
        var bucket = (await run.OutputsAsync()).GetValueOrDefault(Contract.Output.BackupBucket);
        Log.Information($"Backup of stack {run.Stack} finished at {Utc(result.Ended)} UTC after {result.Took.TotalSeconds:0}s: " +
                        $"{(bucket is null ? "the backup bucket" : $"s3://{bucket}/{run.Stack}/")} holds the data volume as of then.");
    }

    /// <summary>
    /// Before a snapshot that precedes losing the volume (Destroy, a volume-replacing Deploy, Move): a backup to S3 too, so both
    /// are as fresh. Skipped, saying why, when the instance can't run it; a failed backup is a warning, the snapshot still holds everything.
    /// Ctrl+C during it says <paramref name="resume"/>, when given.
    /// </summary>
    public async Task BackupBeforeSnapshotAsync(string? resume = null)
    {
        try
        {
            if (resume is null) await BackupOrSayWhyNotAsync();
            else await Resumable.RunAsync(BackupOrSayWhyNotAsync, resume);
        }
        catch (AwsAccessDeniedException e)
        {
            Log.Warning($"Skipping BackupNow before the snapshot: these credentials may not call {e.Action} on stack {run.Stack}'s instance " +
                        "(infra/platform/permissions.yaml's backup-before-snapshot operation grants it; docs/permissions.md); going on: the snapshot holds the whole data volume.");
        }
    }

    async Task BackupOrSayWhyNotAsync()
    {
        switch (await FindAsync())
        {
            case null:
                Log.Information($"Skipping BackupNow before the snapshot: stack {run.Stack} has no instance.");
                return;
            case (_, { } unreachable):
                Log.Information($"Skipping BackupNow before the snapshot: {unreachable.Reason}.");
                return;
            case var (instance, _):
                Log.Information("BackupNow before the snapshot, so the S3 copy is as fresh as the snapshot:");
                var result = await instance.BackupAsync();
                if (result.Succeeded) await ReportBackupAsync(result);
                else Log.Warning($"The backup before the snapshot failed on {instance.InstanceId} (exit code {result.ExitCode}); going on: the snapshot holds the whole data volume.");
                return;
        }
    }
}
