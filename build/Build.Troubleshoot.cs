using BuildEngine;

partial class Build
{
    Target VolumeStatus => _ => _
        .Description("Shows the data volume's attachments.")
        .Executes(() => throw new NotImplementedException());

    Target DetachVolume => _ => _
        .Description("Detaches a stale attachment of the data volume (VolumeInUse recovery).")
        .Executes(() => throw new NotImplementedException());

    Target Doctor => _ => _
        .Description("One screen of health: credentials, stack, instance, volume, snapshots, DLM, backups.")
        .Executes(() => throw new NotImplementedException());
}
