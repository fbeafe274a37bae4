using BuildEngine;
using Spectre.Console;
using static Formats;

/// <summary>Using the deployed OpenClaw: secrets, a shell, the gateway, logs, the openclaw CLI, device pairing, a backup now.</summary>
partial class Build
{
    [Parameter("Secrets: the dotenv file (KEY=VALUE lines) to store as the stack's secrets parameter.")]
    [NotEmpty]
    readonly string? EnvFile;

    [Parameter("Secrets: list the key names stored in the secrets parameter (never the values).")]
    readonly bool Keys;

    [Parameter("Secrets: restart the gateway on the instance afterwards, so it runs with the stored secrets.")]
    readonly bool Restart;

    [Parameter("Secrets: the KMS key (id, ARN or alias/...) that encrypts the parameter (default: the stack's key, its kms_key_alias output; before the first Deploy, aws/ssm).")]
    [NotEmpty]
    readonly string? KmsKey;

    [Parameter("Secrets: the Parameter Store tier: Standard holds 4096 bytes, Advanced 8192 (charged per parameter and month).")]
    readonly SecretsTier ParameterTier = SecretsTier.Standard;

    [Parameter("Gateway: the port on 127.0.0.1 that forwards to the gateway's port on the instance (the contract's instance.gatewayPort).")]
    [Range(1, 65535)]
    readonly int LocalPort = GatewayPort;

    [Parameter("Logs: which log group to read.")]
    readonly LogSource Source = LogSource.All;

    [Parameter("Logs: how far back to read (e.g. 1h, 30m, 2d).")]
    [Positive]
    readonly TimeSpan Since = TimeSpan.FromHours(1);

    [Parameter("Logs: keep printing new events until Ctrl+C.")]
    readonly bool Follow;

    [Parameter("ApproveDevices: the pairing request to approve (see Devices).")]
    [NotEmpty]
    readonly string? Request;

    [Parameter("ApproveDevices: approve every pending pairing request.")]
    readonly bool All;

    /// <summary>The gateway's port on the instance (cloud-init/compose/docker-compose.yaml publishes it on 127.0.0.1; infra/src/contract.ts).</summary>
    static readonly int GatewayPort = Contract.Instance.GatewayPort;

    /// <summary>The openclaw CLI wrapper on the instance; tests point it at a recording script.</summary>
    internal string OpenClawCli = OpenClawInstance.DefaultCli;

    Target Secrets => _ => _
        .Description("Stores --env-file as the stack's secrets parameter (SecureString); --keys lists the names stored, --restart restarts the gateway.")
        .Executes(async () =>
        {
            if (EnvFile is null && !Restart && !Keys)
                throw new BuildException($"Secrets needs a file: ./build.sh Secrets --stack {Stack} --env-file .env (or --keys to list what is stored, --restart to restart the gateway).");
            // The region the stack was deployed in, so the parameter is where the instance reads it and --restart reaches the same region.
            var deployedRegion = (await StackState.GetOutputsAsync(CancellationToken)).GetValueOrDefault(Contract.Output.Region);
            var parameter = new SecretsParameter((await AwsAsync(deployedRegion)).Ssm, await SecretsParameterNameAsync(), CancellationToken);
            // Checked before writing: a restart that cannot happen should leave the parameter as it was.
            var instance = Restart ? await ReachableInstanceAsync() : null;
            if (EnvFile is not null) await WriteSecretsAsync(parameter, new SecretsFile(EnvFile));
            if (Keys) await ListSecretKeysAsync(parameter);
            if (instance is not null)
                await ResumableAsync(instance.RestartGatewayAsync, $"the secrets are stored; ./build.sh Secrets --stack {Stack} --restart restarts the gateway again.");
            else if (EnvFile is not null) Log.Information($"The gateway reads the secrets when it starts: ./build.sh Secrets --stack {Stack} --restart restarts it now.");
        });

    Target Connect => _ => _
        .Description("Opens a shell on the instance through Session Manager (needs the AWS CLI and its Session Manager plugin).")
        .Executes(async () =>
        {
            var cli = new SessionManagerCli(Environment);
            var aws = cli.RequireTools("Connect");
            var instance = await ReachableInstanceAsync();
            Log.Information($"Connecting to {instance.InstanceId} (stack {Stack}); `exit` ends the session.");
            var exitCode = await cli.ShellAsync(aws, (await AwsAsync()).Region, instance.InstanceId);
            if (exitCode != 0) throw new BuildException($"The session with {instance.InstanceId} ended with exit code {exitCode}.", exitCode);
        });

    Target Gateway => _ => _
        .Description("Forwards the gateway to http://127.0.0.1:<local-port>/ through Session Manager until Ctrl+C.")
        .Executes(async () =>
        {
            var cli = new SessionManagerCli(Environment);
            var aws = cli.RequireTools("Gateway");
            if (!SessionManagerCli.IsFree(LocalPort))
                throw new BuildException($"Port {LocalPort} on 127.0.0.1 is already in use (another Gateway?); pass --local-port with a free port, e.g. --local-port {LocalPort + 1}.");
            var instance = await ReachableInstanceAsync();
            Log.Information($"Gateway of stack {Stack}: http://127.0.0.1:{LocalPort}/ (the Control UI asks for {SecretsFile.GatewayTokenKey} from your dotenv). Ctrl+C closes it.");
            var exitCode = await cli.ForwardAsync(aws, (await AwsAsync()).Region, instance.InstanceId, GatewayPort, LocalPort, CancellationToken);
            if (exitCode != 0 && !CancellationToken.IsCancellationRequested)
                throw new BuildException($"The port forward to {instance.InstanceId} ended with exit code {exitCode}; run ./build.sh Doctor --stack {Stack} to see why.", exitCode);
            Log.Information("The port forward is closed.");
        });

    Target Logs => _ => _
        .Description("Prints the stack's CloudWatch logs (--source boot|gateway|backup|all, --since 1h, --follow), merged by time; works after the instance is gone.")
        .Executes(async () =>
        {
            var outputs = await StackState.GetOutputsAsync(CancellationToken);
            var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
            var logs = new StackLogs(aws.Logs, Stack, Console);
            var groups = StackLogs.GroupsOf(Source, Stack, outputs.GetValueOrDefault(Contract.Output.LogGroupNames));
            var from = Now - Since;
            Log.Information($"{string.Join(", ", groups.Select(g => g.Name))} since {Utc(from)} UTC{(Follow ? " (following; Ctrl+C stops)" : "")}:");
            var printed = new HashSet<string>();
            do
            {
                try
                {
                    // Events can arrive late: re-read the last minute each time; the event ids keep lines from repeating.
                    if (await logs.PrintAsync(groups, from, printed, CancellationToken) is { } newest && newest.AddMinutes(-1) > from) from = newest.AddMinutes(-1);
                    if (Follow) await Task.Delay(PollInterval, Time, CancellationToken);
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    return;
                }
            } while (Follow);
        });

    Target OpenClaw => _ => _
        .Description("Runs the openclaw CLI in the gateway container: ./build.sh OpenClaw -- <arguments> (passed verbatim); exits with its exit code.")
        .Executes(async () =>
        {
            if (PassedArguments.Count == 0)
                throw new BuildException($"OpenClaw needs the openclaw command after --, e.g. ./build.sh OpenClaw --stack {Stack} -- status.");
            await (await ReachableInstanceAsync()).OpenClawAsync(PassedArguments);
        });

    Target Devices => _ => _
        .Description("Lists the pending device pairing requests.")
        .Executes(async () => await (await ReachableInstanceAsync()).DevicesAsync(show: true));

    Target ApproveDevices => _ => _
        .Description("Approves device pairing: --request <id> or --all; asks first unless --yes.")
        .Executes(async () =>
        {
            if (Request is null == !All)
                throw new BuildException($"ApproveDevices needs exactly one of --request <id> (see ./build.sh Devices --stack {Stack}) or --all.");
            var instance = await ReachableInstanceAsync();
            var pending = await instance.DevicesAsync(show: false);
            var chosen = All ? pending : pending.Where(r => r.RequestId == Request).ToList();
            if (chosen.Count == 0)
            {
                if (All) Log.Information("No pending pairing requests: nothing to approve.");
                else throw new BuildException($"No pending pairing request {Request} on stack {Stack} (approved already, or replaced by a newer one); see ./build.sh Devices --stack {Stack}.");
                return;
            }
            Confirm($"Approve {string.Join(", ", chosen.Select(r => $"{r.RequestId} ({r.Device}{(r.RemoteIp is null ? "" : ", " + r.RemoteIp)})"))}?", "ApproveDevices");
            await ResumableAsync(() => instance.ApproveAsync(chosen),
                $"./build.sh Devices --stack {Stack} shows which requests are still pending, ./build.sh ApproveDevices --stack {Stack} approves them.");
        });

    Target BackupNow => _ => _
        .Description("Backs the data volume up to S3 now (the backup unit on the instance) and reports when.")
        .Executes(async () =>
        {
            var instance = await ReachableInstanceAsync();
            var result = await ResumableAsync(instance.BackupAsync,
                $"./build.sh BackupNow --stack {Stack} joins the backup still running and reports when it ends.");
            if (!result.Succeeded)
                throw new BuildException($"The backup on {instance.InstanceId} failed (exit code {result.ExitCode}); its journal is above, older runs in ./build.sh Logs --stack {Stack} --source backup.");
            await ReportBackupAsync(result);
        });

    /// <summary>The deployed stack's parameter; before the first Deploy, the one it will read (config, then the default).</summary>
    async Task<string> SecretsParameterNameAsync() =>
        (await StackState.GetOutputsAsync(CancellationToken)).GetValueOrDefault(Contract.Output.SsmEnvParameter) is { Length: > 0 } deployed
            ? deployed
            : await StackState.GetConfigAsync(Contract.Config.SsmEnvParameter, CancellationToken)
              ?? Contract.Default(Contract.Config.SsmEnvParameter).Replace("{stack}", Stack, StringComparison.Ordinal);

    /// <summary>Validates the file, offers a gateway token when it has none, then overwrites the parameter with it.</summary>
    async Task WriteSecretsAsync(SecretsParameter parameter, SecretsFile file)
    {
        var env = file.Read();
        if (file.ReadableByOthers) Log.Warning($"{file.Path} can be read by other users of this machine; chmod 600 {file.Path}.");
        if (!env.HasGatewayAuth && OfferGatewayToken(file)) env = file.Read();
        var kmsKey = await SecretsKmsKeyAsync();
        var version = await parameter.WriteAsync(env, ParameterTier, kmsKey);
        Log.Information($"Stored {env.Entries.Count} keys ({env.Bytes} bytes) from {file.Path} as SecureString version {version} of the secrets parameter " +
                        $"({ParameterTier} tier, KMS key {kmsKey ?? "alias/aws/ssm"}): {string.Join(", ", env.Entries.Select(e => e.Key))}.");
        if (kmsKey is null)
            Log.Information($"Stack {Stack} has no key yet (no {Contract.Output.KmsKeyAlias} output): after ./build.sh Deploy --stack {Stack}, run this again to encrypt the secrets with the stack's key.");
    }

    /// <summary>--kms-key; else the deployed stack's key (its alias output); else null: SSM's default, the account's aws/ssm key.</summary>
    async Task<string?> SecretsKmsKeyAsync() =>
        KmsKey ?? ((await StackState.GetOutputsAsync(CancellationToken)).GetValueOrDefault(Contract.Output.KmsKeyAlias) is { Length: > 0 } alias ? alias : null);

    /// <summary>True when a token was added to the file. --yes adds one; without a terminal and without --yes nothing is written.</summary>
    bool OfferGatewayToken(SecretsFile file)
    {
        var missing = $"{file.Path} has no {SecretsFile.GatewayTokenKey} (nor {SecretsFile.GatewayPasswordKey}), without which the gateway does not start";
        if (!Yes && !Console.Profile.Capabilities.Interactive)
            throw new BuildException($"{missing}; add it, or pass --yes to generate a strong one into the file (nothing was written).");
        if (!Yes && !Console.Confirm($"{missing}. Generate a strong one into {file.Path} (the file stays 0600, the token is not shown)?"))
        {
            Log.Warning($"{missing}; storing the file without it.");
            return false;
        }
        file.AddGatewayToken();
        Log.Information($"Generated {SecretsFile.GatewayTokenKey} (32 random bytes) into {file.Path}, mode 0600; the Control UI asks for it, it is in that file.");
        return true;
    }

    async Task ListSecretKeysAsync(SecretsParameter parameter)
    {
        var keys = await parameter.KeysAsync()
            ?? throw new BuildException($"Stack {Stack} has no secrets parameter yet; store one with ./build.sh Secrets --stack {Stack} --env-file .env.");
        Log.Information($"The secrets parameter holds {keys.Count} keys (values not shown):");
        foreach (var key in keys) Console.Profile.Out.Writer.WriteLine("  " + key);
    }

    /// <summary>A step that runs a command on the instance; Ctrl+C during it says, after what is still running, how to resume.</summary>
    static async Task<T> ResumableAsync<T>(Func<Task<T>> step, string resume)
    {
        try
        {
            return await step();
        }
        catch (RemoteCommandInterruptedException e)
        {
            throw e.Resumed(resume);
        }
    }

    static Task ResumableAsync(Func<Task> step, string resume) => ResumableAsync(async () => { await step(); return true; }, resume);

    /// <summary>The stack's instance, once Systems Manager can reach it; otherwise one sentence saying what to run.</summary>
    async Task<OpenClawInstance> ReachableInstanceAsync()
    {
        var (instance, unreachable) = await StackInstanceAsync()
            ?? throw new BuildException($"Stack {Stack} is not deployed (it has no {Contract.Output.InstanceId} output); run ./build.sh Deploy --stack {Stack}.");
        return unreachable is null ? instance : throw new BuildException(unreachable.Sentence);
    }

    /// <summary>The instance named by the stack outputs and why Systems Manager can't reach it now (null when it can); null without an instance.</summary>
    async Task<(OpenClawInstance Instance, Unreachable? Unreachable)?> StackInstanceAsync()
    {
        var outputs = await StackState.GetOutputsAsync(CancellationToken);
        if (outputs.GetValueOrDefault(Contract.Output.InstanceId) is not { Length: > 0 } instanceId) return null;
        var aws = await AwsAsync(outputs.GetValueOrDefault(Contract.Output.Region));
        var instance = new OpenClawInstance(new RemoteCommands(aws.Ssm, Time, PollInterval, CancellationToken), instanceId, Stack, Console, WaitTimeout) { Cli = OpenClawCli };
        return (instance, await new InstanceReach(aws.Ec2, aws.Ssm, aws.Region).CheckAsync(instanceId, Stack, CancellationToken));
    }

    void Confirm(string question, string target)
    {
        if (Yes) return;
        if (!Console.Profile.Capabilities.Interactive)
            throw new BuildException($"{target} asks before it acts and there is no terminal to ask on: pass --yes.");
        if (!Console.Confirm(question, defaultValue: false)) throw new BuildException($"Not confirmed; {target} changed nothing.");
    }

    async Task ReportBackupAsync(CommandResult result)
    {
        var bucket = (await StackState.GetOutputsAsync(CancellationToken)).GetValueOrDefault(Contract.Output.BackupBucket);
        Log.Information($"Backup of stack {Stack} finished at {Utc(result.Ended)} UTC after {result.Took.TotalSeconds:0}s: " +
                        $"{(bucket is null ? "the backup bucket" : $"s3://{bucket}/{Stack}/")} holds the data volume as of then.");
    }

    /// <summary>
    /// Before a snapshot that precedes losing the volume (Destroy, a volume-replacing Deploy): a backup to S3 too, so both are
    /// as fresh. Skipped, saying why, when the instance can't run it; a failed backup is a warning, the snapshot still holds everything.
    /// </summary>
    async Task BackupBeforeSnapshotAsync()
    {
        try
        {
            await BackupBeforeSnapshotOrThrowAsync();
        }
        catch (AwsAccessDeniedException e)
        {
            Log.Warning($"Skipping BackupNow before the snapshot: these credentials may not call {e.Action} on stack {Stack}'s instance " +
                        "(infra/platform/permissions.yaml's backup-before-snapshot operation grants it; docs/permissions.md); going on: the snapshot holds the whole data volume.");
        }
    }

    async Task BackupBeforeSnapshotOrThrowAsync()
    {
        switch (await StackInstanceAsync())
        {
            case null:
                Log.Information($"Skipping BackupNow before the snapshot: stack {Stack} has no instance.");
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
