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
            var parameter = await SecretsStore.ParameterAsync();
            // Checked before writing: a restart that cannot happen should leave the parameter as it was.
            var instance = Restart ? await Instance.ReachableAsync() : null;
            if (EnvFile is not null) await SecretsStore.WriteAsync(parameter, new SecretsFile(EnvFile));
            if (Keys) await SecretsStore.ListKeysAsync(parameter);
            if (instance is not null)
                await Resumable.RunAsync(instance.RestartGatewayAsync, $"the secrets are stored; ./build.sh Secrets --stack {Stack} --restart restarts the gateway again.");
            else if (EnvFile is not null) Log.Information($"The gateway reads the secrets when it starts: ./build.sh Secrets --stack {Stack} --restart restarts it now.");
        });

    Target Connect => _ => _
        .Description("Opens a shell on the instance through Session Manager (needs the AWS CLI and its Session Manager plugin).")
        .Executes(async () =>
        {
            var cli = new SessionManagerCli(Environment);
            var aws = cli.RequireTools("Connect");
            var instance = await Instance.ReachableAsync();
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
            var instance = await Instance.ReachableAsync();
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
            await logs.PrintAsync(groups, from, Follow, PollInterval, Time, CancellationToken);
        });

    Target OpenClaw => _ => _
        .Description("Runs the openclaw CLI in the gateway container: ./build.sh OpenClaw -- <arguments> (passed verbatim); exits with its exit code.")
        .Executes(async () =>
        {
            if (PassedArguments.Count == 0)
                throw new BuildException($"OpenClaw needs the openclaw command after --, e.g. ./build.sh OpenClaw --stack {Stack} -- status.");
            await (await Instance.ReachableAsync()).OpenClawAsync(PassedArguments);
        });

    Target Devices => _ => _
        .Description("Lists the pending device pairing requests.")
        .Executes(async () => await (await Instance.ReachableAsync()).DevicesAsync(show: true));

    Target ApproveDevices => _ => _
        .Description("Approves device pairing: --request <id> or --all; asks first unless --yes.")
        .Executes(async () =>
        {
            if (Request is null == !All)
                throw new BuildException($"ApproveDevices needs exactly one of --request <id> (see ./build.sh Devices --stack {Stack}) or --all.");
            var instance = await Instance.ReachableAsync();
            var pending = await instance.DevicesAsync(show: false);
            var chosen = All ? pending : pending.Where(r => r.RequestId == Request).ToList();
            if (chosen.Count == 0)
            {
                if (All) Log.Information("No pending pairing requests: nothing to approve.");
                else throw new BuildException($"No pending pairing request {Request} on stack {Stack} (approved already, or replaced by a newer one); see ./build.sh Devices --stack {Stack}.");
                return;
            }
            Confirmation.Require($"Approve {string.Join(", ", chosen.Select(r => $"{r.RequestId} ({r.Device}{(r.RemoteIp is null ? "" : ", " + r.RemoteIp)})"))}?", "ApproveDevices");
            await Resumable.RunAsync(() => instance.ApproveAsync(chosen),
                $"./build.sh Devices --stack {Stack} shows which requests are still pending, ./build.sh ApproveDevices --stack {Stack} approves them.");
        });

    Target BackupNow => _ => _
        .Description("Backs the data volume up to S3 now (the backup unit on the instance) and reports when.")
        .Executes(async () =>
        {
            var instance = await Instance.ReachableAsync();
            var result = await Resumable.RunAsync(instance.BackupAsync,
                $"./build.sh BackupNow --stack {Stack} joins the backup still running and reports when it ends.");
            if (!result.Succeeded)
                throw new BuildException($"The backup on {instance.InstanceId} failed (exit code {result.ExitCode}); its journal is above, older runs in ./build.sh Logs --stack {Stack} --source backup.");
            await Instance.ReportBackupAsync(result);
        });
}
