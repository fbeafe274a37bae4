import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "./config";
import { TAGS } from "./contract";

export class GuardrailError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    this.name = "GuardrailError";
  }
}

export interface RestoreSnapshot {
  id: string;
  volumeSizeGib: number;
  tags: Record<string, string>;
}

/** The restore rules from the design notes, as a pure check: returns what is wrong, or nothing. */
export function restoreProblems(snapshot: RestoreSnapshot, settings: Settings): string[] {
  const problems: string[] = [];
  const az = snapshot.tags[TAGS.az];
  const key = "openclaw:availability_zone";
  if (az === undefined) {
    problems.push(
      `snapshot ${snapshot.id} has no OpenClawAz tag, so it cannot be matched to ${key} (${settings.availabilityZone}); ` +
        `snapshots taken by this stack carry it: pick one of those, or tag this one with the AZ of its source volume`,
    );
  } else if (az !== settings.availabilityZone) {
    problems.push(
      `snapshot ${snapshot.id} has OpenClawAz=${az} but ${key} is ${settings.availabilityZone}; ` +
        `set ${key} to ${az} or pick a snapshot taken in ${settings.availabilityZone}`,
    );
  }
  if (settings.dataVolumeSizeGib !== undefined && settings.dataVolumeSizeGib < snapshot.volumeSizeGib) {
    problems.push(
      `openclaw:data_volume_size_gib is ${settings.dataVolumeSizeGib} but snapshot ${snapshot.id} holds a ` +
        `${snapshot.volumeSizeGib} GiB volume; use at least ${snapshot.volumeSizeGib} or leave the key unset`,
    );
  }
  return problems;
}

/** Looks up `data_volume_snapshot_id` (if set) and fails before any resource is registered when it does not fit. */
export async function checkRestoreSnapshot(settings: Settings): Promise<RestoreSnapshot | undefined> {
  const id = settings.dataVolumeSnapshotId;
  if (id === undefined) return undefined;
  let found: aws.ebs.GetSnapshotResult;
  try {
    found = await aws.ebs.getSnapshot({ snapshotIds: [id], mostRecent: true });
  } catch (error) {
    throw new GuardrailError(
      `openclaw:data_volume_snapshot_id: snapshot ${id} could not be read in ${settings.region}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const snapshot = { id, volumeSizeGib: found.volumeSize, tags: found.tags ?? {} };
  const problems = restoreProblems(snapshot, settings);
  if (problems.length > 0) throw new GuardrailError(`Restore guardrail failed:\n  - ${problems.join("\n  - ")}`);
  if (snapshot.tags[TAGS.stack] !== undefined && snapshot.tags[TAGS.stack] !== settings.stack) {
    pulumi.log.warn(`restoring snapshot ${id} of stack ${snapshot.tags[TAGS.stack]} into stack ${settings.stack}`);
  }
  return snapshot;
}
