import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "../config";
import { dataVolumeTags } from "../naming";

/**
 * Deleted on destroy unless data_volume_retain_on_destroy: then pulumi leaves it (retainOnDelete) and the runbook's
 * Destroy detaches and tags it first. DLM snapshots (and the runbook's final snapshot) are the way back either way.
 * kmsKeyArn unset: EBS's default key (aws/ebs).
 */
export function createDataVolume(settings: Settings, sizeGib: number, kmsKeyArn?: pulumi.Output<string>) {
  return new aws.ebs.Volume(
    "openclaw-data",
    {
      availabilityZone: settings.availabilityZone,
      type: "gp3",
      size: sizeGib,
      encrypted: true,
      kmsKeyId: kmsKeyArn,
      snapshotId: settings.dataVolumeSnapshotId,
      tags: dataVolumeTags(settings.stack, settings.availabilityZone),
    },
    settings.dataVolumeRetainOnDestroy ? { retainOnDelete: true } : {},
  );
}
