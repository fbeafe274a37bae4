using BuildEngine;

partial class Build
{
    Target Plan => _ => _
        .Description("Offline: runs the stack under Pulumi mocks and writes artifacts/plan/ (no AWS, no Pulumi CLI).")
        .Executes(() => throw new NotImplementedException());

    Target Preview => _ => _
        .Description("Shows what Deploy would change; flags a replaced or deleted data volume.")
        .Executes(() => throw new NotImplementedException());

    Target Deploy => _ => _
        .Description("Creates or updates the stack (pulumi up).")
        .DependsOn(ConfigureAz)
        .Requires(() => Stack)
        .Executes(() => throw new NotImplementedException());

    Target Refresh => _ => _
        .Description("Reconciles the stack state with AWS (pulumi refresh).")
        .Executes(() => throw new NotImplementedException());

    Target Redeploy => _ => _
        .Description("Refresh, then Deploy: the VolumeInUse recovery.")
        .DependsOn(Refresh)
        .Executes(() => throw new NotImplementedException());

    Target Outputs => _ => _
        .Description("Prints the stack outputs.")
        .Executes(() => throw new NotImplementedException());

    Target Destroy => _ => _
        .Description("Destroys the stack after FinalSnapshot; asks first unless --yes.")
        .DependsOn(FinalSnapshot)
        .Executes(() => throw new NotImplementedException());

    IStackState? _stackState;

    /// <summary>The stack's config and outputs: the Pulumi CLI driver, or a fake set by tests.</summary>
    internal IStackState StackState
    {
        get => _stackState ?? throw new NotImplementedException("Pulumi driver not written yet");
        set => _stackState = value;
    }
}
