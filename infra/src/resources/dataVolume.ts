import * as aws from "@pulumi/aws";
import { Settings } from "../config";
import { dataVolumeTags } from "../naming";

/** Deleted on destroy: DLM snapshots (and the runbook's final snapshot) are the way back. */
export function createDataVolume(settings: Settings, sizeGib: number) {
  return new aws.ebs.Volume("openclaw-data", {
    availabilityZone: settings.availabilityZone,
    type: "gp3",
    size: sizeGib,
    encrypted: true,
    snapshotId: settings.dataVolumeSnapshotId,
    tags: dataVolumeTags(settings.stack, settings.availabilityZone),
  });
}
