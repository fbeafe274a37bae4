using BuildEngine;

/// <summary>
/// The stack's persistence mode (config and output <c>persistence</c>, docs/modes.md): <c>snapshots</c> keeps the state on
/// a data volume with snapshots and S3 backups; <c>ephemeral</c> keeps it on the instance's root volume only.
/// </summary>
partial class Build
{
    /// <summary>Why FinalSnapshot is skipped for an ephemeral stack (its OnlyWhenStatic reason, printed and shown by --plan).</summary>
    internal static string EphemeralSkipReason => $"{Contract.Config.Persistence}: {Contract.Persistence.Ephemeral} keeps no data volume";

    string? _deployedPersistence;

    /// <summary>
    /// The mode the stack is deployed with (its output). A stack deployed before the output existed, or not deployed, counts
    /// as snapshots: that is what it had, and what FinalSnapshot and Destroy then expect. Read once a run, before any change.
    /// </summary>
    string DeployedPersistence =>
        _deployedPersistence ??= Contract.Persistence.Of(StackState.GetOutputsAsync(CancellationToken).GetAwaiter().GetResult());

    /// <summary>
    /// FinalSnapshot's condition: the deployed stack has a data volume. Outputs that cannot be read skip nothing: FinalSnapshot
    /// then runs and fails with the reason itself.
    /// </summary>
    bool HasDataVolume
    {
        get
        {
            try
            {
                return DeployedPersistence != Contract.Persistence.Ephemeral;
            }
            catch (BuildException)
            {
                return true;
            }
        }
    }

    /// <summary>True when this run already found the stack deployed as ephemeral (FinalSnapshot's condition read it before any change).</summary>
    bool WasEphemeral => _deployedPersistence == Contract.Persistence.Ephemeral;
}
