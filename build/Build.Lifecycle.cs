using BuildEngine;
using Spectre.Console;

/// <summary>The stack's lifecycle through the pulumi CLI (build/Pulumi/), and the offline Plan that needs none.</summary>
partial class Build
{
    [Parameter("Pulumi backend: https://api.pulumi.com, file://<folder> or s3://<bucket>/<prefix>. Default: PULUMI_BACKEND_URL, then `pulumi login`.")]
    [NotEmpty]
    readonly string? PulumiBackend;

    [Parameter("Deploy: when AWS answers VolumeInUse, runs Redeploy (refresh, then up) once by itself.")]
    readonly bool AutoRecover;

    [Parameter("Destroy: the stack name typed again to confirm; must equal --stack (the destroy workflow asks for it).")]
    [Matches(StackName.Pattern, StackName.Accepted)]
    readonly string? ConfirmStack;

    [Parameter("Deploy: replace or delete the data volume without snapshotting it first (otherwise Deploy takes a snapshot and waits for it).")]
    readonly bool ReplaceVolumeWithoutSnapshot;

    [Parameter("Plan: the stack config file to plan, relative to the repository root (e.g. infra/Pulumi.retained.example.yaml). Default: infra/Pulumi.<stack>.yaml, else infra/Pulumi.example.yaml.")]
    [NotEmpty]
    readonly string? ConfigFile;

    Target Plan => _ => _
        .Description("Offline: runs the stack under Pulumi mocks and writes artifacts/plan/ (no AWS, no Pulumi CLI).")
        .Requires(() => Stack)
        .Executes(() => new OfflinePlan(InfraDirectory, Environment, CancellationToken)
            .RunAsync(Stack, Path.Combine(ArtifactsDirectory, "plan"), ConfigFile is null ? null : Path.GetFullPath(ConfigFile, RootDirectory)));

    Target Preview => _ => _
        .Description("Shows what Deploy would change; flags a replaced or deleted data volume.")
        .Requires(() => Stack)
        .Executes(async () =>
        {
            await PrepareAsync(create: true);
            if ((await PreviewAsync()).Changes.Any(c => c.LosesData)) await Guards.RefuseSwitchToEphemeralWithoutFinalSnapshotAsync();
        });

    Target Deploy => _ => _
        .Description("Creates or updates the stack (pulumi up).")
        .DependsOn(ConfigureAz)
        .OnlyWhenDynamic(() => DeployFollowsMove)
        .Requires(() => Stack)
        .Executes(() => DeployAsync(refreshed: false));

    Target Refresh => _ => _
        .Description("Reconciles the stack state with AWS (pulumi refresh).")
        .Requires(() => Stack)
        .Executes(async () =>
        {
            await PrepareAsync(create: false);
            await Pulumi.RefreshAsync();
        });

    Target Redeploy => _ => _
        .Description("Refresh, then Deploy: the VolumeInUse recovery.")
        .DependsOn(Refresh)
        .Requires(() => Stack)
        .Executes(() => DeployAsync(refreshed: true));

    Target Outputs => _ => _
        .Description("Prints the stack outputs.")
        .Requires(() => Stack)
        .Executes(async () =>
        {
            await Pulumi.SelectAsync();
            var outputs = await Pulumi.GetOutputsAsync(CancellationToken);
            if (outputs.Count == 0) Log.Warning($"Stack {Stack} has no outputs yet: deploy it with ./build.sh Deploy --stack {Stack}.");
            var sorted = outputs.OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
            var table = new Table().Border(TableBorder.Simple).AddColumns("Output", "Value");
            foreach (var (key, value) in sorted)
                table.AddRow(Markup.Escape(key), Markup.Escape(value));
            WriteResult(new { Stack, Outputs = sorted.ToDictionary(o => o.Key, o => o.Value) }, () =>
            {
                if (sorted.Count > 0) Console.Write(table);
            });
        });

    Target Destroy => _ => _
        .Description("Destroys the stack after FinalSnapshot (and closes its spot request); keeps the data volume when the stack retains it; asks first unless --yes.")
        .DependsOn(FinalSnapshot)
        .Requires(() => Stack)
        .Executes(async () =>
        {
            RequireFinalSnapshot();
            ConfirmDestroy();
            await PrepareAsync(create: false);
            // A stack that keeps its data volume stops, detaches and tags it first (Build.Volumes.cs).
            var teardown = new StackTeardown(Run, CompletedFinalSnapshotId);
            var retained = await teardown.RetainDataVolumeAsync();
            var spotRequest = await StackSpotRequest.FindAsync(Run);
            if (spotRequest is not null && await spotRequest.CancelAsync())
                Log.Information($"Cancelled the persistent spot request {spotRequest.RequestId} so AWS launches no new instance once pulumi terminates the stack's.");
            await Pulumi.DestroyAsync();
            if (spotRequest is not null) await spotRequest.TerminateRelaunchedAsync();
            if (retained is not null) await teardown.PointAtRetainedVolumeAsync(retained);
            else await teardown.PointAtFinalSnapshotAsync(WasEphemeral);
        });

    IStackState? _stackState;
    PulumiStack? _pulumi;

    /// <summary>The selected stack through the operator's pulumi CLI, created on first use.</summary>
    PulumiStack Pulumi => _pulumi ??= new PulumiStack(new PulumiCli(InfraDirectory, Environment, PulumiBackend, CancellationToken), Stack);

    /// <summary>The stack's config and outputs: the Pulumi CLI driver, or a fake set by tests.</summary>
    internal IStackState StackState
    {
        get => _stackState ?? Pulumi;
        set => _stackState = value;
    }

    /// <summary>Selects (or creates) the stack, then makes sure infra/node_modules is installed: pulumi runs the program from it.</summary>
    async Task PrepareAsync(bool create)
    {
        if (create) await Pulumi.CreateOrSelectAsync();
        else await Pulumi.SelectAsync();
        await NpmDependencies.EnsureAsync(InfraDirectory, Environment, CancellationToken);
    }

    async Task<PreviewResult> PreviewAsync()
    {
        var preview = await Pulumi.PreviewAsync();
        PreviewReport.Write(Console, preview, Stack);
        var errors = preview.Errors.ToList();
        foreach (var error in errors.Skip(1)) Log.Error(error);
        if (errors.Count > 0) throw new BuildException($"pulumi preview of stack {Stack} failed: {errors[0].Split('\n')[0].TrimEnd('.')}.");
        return preview;
    }

    /// <summary>Preview, then up unless nothing changes; recovers from VolumeInUse once when asked to.</summary>
    async Task DeployAsync(bool refreshed)
    {
        await PrepareAsync(create: true);
        await new ImagePinning(StackState, RegistryClient.For(Environment)).PinAsync(Stack, CancellationToken);
        var preview = await PreviewAsync();
        if (!preview.HasChanges)
        {
            Log.Information($"Stack {Stack} is up to date: nothing to deploy.");
            return;
        }
        if (preview.Changes.Any(c => c.CreatesDataVolume)) await Guards.RefuseBlankVolumeBesideSnapshotsAsync();
        if (preview.Changes.Any(c => c.LosesData))
        {
            await Guards.RefuseSwitchToEphemeralWithoutFinalSnapshotAsync();
            await SnapshotBeforeReplacingAsync();
        }
        var spotRequest = preview.Changes.Any(c => c.ReplacesInstance) ? await StackSpotRequest.FindAsync(Run) : null;
        var up = await Pulumi.UpAsync();
        if (!up.Succeeded) await new VolumeInUseRecovery(Pulumi, Stack, AutoRecover).RecoverAsync(up, refreshed);
        if (spotRequest is not null) await spotRequest.RetireIfReplacedAsync();
    }

    /// <summary>The volume pulumi is about to replace or delete holds the newest data: a completed snapshot first, unless told otherwise.</summary>
    async Task SnapshotBeforeReplacingAsync()
    {
        if (_movedSnapshotId is { } moved)
        {
            Log.Information($"Move put the data volume's data into {moved}, which the new volume is created from; no other snapshot first.");
            return;
        }
        if (ReplaceVolumeWithoutSnapshot)
        {
            Log.Warning("!!! --replace-volume-without-snapshot: the data volume is replaced WITHOUT a snapshot of it; its data since the last snapshot is lost. !!!");
            return;
        }
        await BackupBeforeSnapshotAsync(spared: "deployed");
        var snapshotId = await SnapshotDataVolumeAsync(
            new SnapshotPurpose($"openclaw snapshot before Deploy replaces the data volume (stack {Stack})", "Snapshot", Invoked, "deployed"),
            $"Deploy would replace the data volume but stack {Stack} has no {Contract.Output.DataVolumeId} output to snapshot first; run ./build.sh Refresh --stack {Stack}, " +
            "or pass --replace-volume-without-snapshot to replace it anyway.");
        Log.Information($"The data volume's current data is in {snapshotId}: ./build.sh Restore --stack {Stack} --snapshot {snapshotId} brings it back.");
    }

    void RequireFinalSnapshot()
    {
        if (IsSkipped(FinalSnapshot) && WasEphemeral)
        {
            Log.Information($"FinalSnapshot was skipped ({EphemeralSkipReason}): the state on the instance's root volume goes with the stack.");
            return;
        }
        RequireFinalSnapshot(CompletedFinalSnapshotId, IsSkipped(FinalSnapshot));
    }

    /// <summary>Destroy deletes the data volume: only after FinalSnapshot completed one, or was skipped on purpose (--skip FinalSnapshot).</summary>
    internal static void RequireFinalSnapshot(string? completedSnapshotId, bool finalSnapshotSkipped)
    {
        if (completedSnapshotId is not null)
        {
            Log.Information($"Final snapshot {completedSnapshotId} is completed; the data can be restored from it.");
            return;
        }
        if (!finalSnapshotSkipped)
            throw new BuildException("FinalSnapshot did not report a completed snapshot, so Destroy will not delete the data volume; fix FinalSnapshot, or pass --skip FinalSnapshot to destroy without one.");
        Log.Warning("!!! FinalSnapshot was skipped: the data volume is deleted WITHOUT a final snapshot; only older DLM snapshots (if any) remain. !!!");
    }

    bool _destroyConfirmed;

    void ConfirmDestroy()
    {
        if (_destroyConfirmed) return;
        if (ConfirmStack is not null && ConfirmStack != Stack)
            throw new BuildException($"--confirm-stack '{ConfirmStack}' is not the stack to destroy ('{Stack}'); nothing was destroyed.");
        Confirmation.TypeBack($"Type the stack name [bold]{Markup.Escape(Stack)}[/] to destroy it:", Stack,
            $"Destroy asks for confirmation and there is no terminal to ask on: pass --yes to destroy stack {Stack}.",
            typed => $"'{typed}' is not '{Stack}'; nothing was destroyed.");
        _destroyConfirmed = true;
    }
}
