using BuildEngine;

partial class Build
{
    Target Snapshots => _ => _
        .Description("Lists the stack's restore candidates, newest first.")
        .Executes(() => throw new NotImplementedException());

    Target Restore => _ => _
        .Description("Restores the data volume from a snapshot (--snapshot snap-... | latest), then deploys.")
        .Before(ConfigureAz)
        .Triggers(Deploy)
        .Executes(() => throw new NotImplementedException());

    Target FinalSnapshot => _ => _
        .Description("Snapshots the data volume and waits until it is completed (runs before Destroy).")
        .Executes(() => throw new NotImplementedException());

    Target VerifyDlm => _ => _
        .Description("Checks the stack's DLM policy is enabled and the newest snapshot is on schedule.")
        .Executes(() => throw new NotImplementedException());

    Target CleanupSnapshots => _ => _
        .Description("Deletes manual final snapshots by id or age, never the newest completed one.")
        .Executes(() => throw new NotImplementedException());
}
