using BuildEngine;
using static Formats;

/// <summary>
/// When Spot capacity or a region fails: Move takes the stack's newest data to another AZ (a final snapshot, its
/// acknowledged copy for the new AZ, the pin, Deploy) or to another region (from the copies DLM makes there with
/// dr_region, into a new stack config). The steps: build/Runbook/MovePlanner.cs, MovePlan.cs, MovedStackConfig.cs.
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
            _move = await new MovePlanner(Run, OtherStackState, Region, AvailabilityZone, To, NewStack).PlanAsync();
            Log.Information($"Move of stack {Stack} ({_move.InstanceType}) from {_move.FromZone} to {_move.ToZone}:");
            var steps = _move.Steps(Stack);
            for (var i = 0; i < steps.Count; i++) Log.Information($"  {i + 1}. {steps[i]}");
            Confirmation.Require($"Move stack {Stack} from {_move.FromZone} to {_move.ToZone}{(_move.CrossesRegions ? $" (new stack {_move.NewStack})" : "")}?", "Move");
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
            var config = new MovedStackConfig(Run, _move!, _movedSnapshotId!);
            if (_move!.CrossesRegions) await config.CreateRegionStackAsync(OtherStackState(_move.NewStack!));
            else await config.PinAsync();
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
}
