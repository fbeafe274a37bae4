using Amazon.EC2.Model;
using BuildEngine;

/// <summary>
/// What Reattach refuses before it changes anything: swapping out a live volume, an unencrypted volume, one another
/// instance holds, and a volume that is not this stack's data volume unless --adopt-foreign takes it over.
/// </summary>
sealed class ReattachChecks(StackContext run, bool adoptForeign)
{
    /// <summary>True when Reattach must tag the volume as this stack's data volume first (--adopt-foreign).</summary>
    public bool NeedsAdopting(Volume volume) =>
        VolumeRetention.Tag(volume, Contract.Tag.Stack) != run.Stack || VolumeRetention.Tag(volume, Contract.Tag.Data) != Contract.TagValue.Data;

    public async Task RefuseAsync(Volume volume)
    {
        var id = volume.VolumeId;
        var stack = run.Stack;
        var outputs = await run.OutputsAsync();
        if (outputs.GetValueOrDefault(Contract.Output.DataVolumeId) is { Length: > 0 } current && current != id)
            throw new BuildException($"Stack {stack} is deployed with its data volume {current}; Reattach would detach it. Destroy the stack first " +
                                     $"(with {Contract.Config.DataVolumeRetainOnDestroy}: true to keep {current}), then run Reattach again.");
        if (volume.Encrypted != true)
            throw new BuildException($"{id} is not encrypted; the stack only runs on encrypted data volumes (snapshot it, copy the snapshot encrypted, and reattach a volume made from the copy).");
        var holders = (volume.Attachments ?? []).Where(a => a.State != Amazon.EC2.AttachmentStatus.Detached && a.InstanceId != outputs.GetValueOrDefault(Contract.Output.InstanceId)).ToList();
        if (holders.Count > 0)
            throw new BuildException($"{id} is attached to {string.Join(", ", holders.Select(a => a.InstanceId))}, not to stack {stack}'s instance; one writer only: detach it there first.");
        if (!NeedsAdopting(volume)) return;
        var owner = VolumeRetention.Tag(volume, Contract.Tag.Stack);
        if (owner is null)
            throw new BuildException($"{id} has no {Contract.Tag.Stack} tag, and the runbook's roles only move volumes between the platform's stacks " +
                                     $"(so no job can pull someone else's volume into a stack): tag it yourself with credentials that may " +
                                     $"(aws ec2 create-tags --resources {id} --tags Key={Contract.Tag.Stack},Value={stack} Key={Contract.Tag.Data},Value={Contract.TagValue.Data}), then run Reattach again.");
        if (adoptForeign) return;
        if (owner == stack)
            throw new BuildException($"{id} is tagged {Contract.Tag.Stack}={stack} but not {Contract.Tag.Data}={Contract.TagValue.Data}, so it is not stack {stack}'s data volume " +
                                     $"(a root volume, or one made outside the runbook) and its DLM policy does not snapshot it; pass --adopt-foreign to make it the data volume " +
                                     $"(tagged {Contract.Tag.Data}={Contract.TagValue.Data}), or pick the data volume (./build.sh RetainedVolumes lists them).");
        throw new BuildException($"{id} belongs to stack {owner}, not to {stack}; pass --adopt-foreign to take it over " +
                                 $"(it is retagged {Contract.Tag.Stack}={stack} and stack {owner} can no longer use it), or reattach it with --stack {owner}.");
    }
}
