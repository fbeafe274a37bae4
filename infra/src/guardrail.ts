import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Settings } from "./config";
import { CONFIG, PROJECT, TAG_VALUES, TAGS } from "./contract";

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

// --- retain ---
/** The volume `data_volume_id` names, as the lookups found it. */
export interface AdoptedVolume {
  id: string;
  availabilityZone: string;
  sizeGib: number;
  encrypted: boolean;
  volumeType: string;
  tags: Record<string, string>;
  /** Instances (pending, running, stopping or stopped) the volume is attached to that are not this stack's. */
  attachedElsewhere: string[];
}

/**
 * The adoption rules as a pure check: the volume must be in the pinned AZ, encrypted, attached to no other instance,
 * and tagged as this stack's data volume (OpenClawData=true, OpenClawStack=<stack>: DLM snapshots only those).
 * `./build.sh Reattach --adopt-foreign` retags a foreign volume to the stack, which is how one is acknowledged.
 */
export function adoptProblems(volume: AdoptedVolume, settings: Settings): string[] {
  const problems: string[] = [];
  const id = volume.id;
  const azKey = `${PROJECT}:${CONFIG.availabilityZone}`;
  if (volume.availabilityZone !== settings.availabilityZone) {
    problems.push(
      `volume ${id} is in ${volume.availabilityZone} but ${azKey} is ${settings.availabilityZone}; an instance can only attach a volume ` +
        `of its own AZ: set ${azKey} to ${volume.availabilityZone} (./build.sh Reattach --volume ${id} does)`,
    );
  }
  if (!volume.encrypted) {
    problems.push(
      `volume ${id} is not encrypted; the stack only runs on encrypted data volumes: snapshot it, copy the snapshot with ` +
        `encryption, create a volume from that and adopt the new one`,
    );
  }
  if (volume.attachedElsewhere.length > 0) {
    problems.push(
      `volume ${id} is attached to ${volume.attachedElsewhere.join(", ")}, which is not an instance of stack ${settings.stack}; ` +
        `one writer only: detach it there first (or destroy that stack with ${CONFIG.dataVolumeRetainOnDestroy}: true)`,
    );
  }
  const owner = volume.tags[TAGS.stack];
  if (owner !== settings.stack || volume.tags[TAGS.data] !== TAG_VALUES.data) {
    problems.push(
      `volume ${id} ${owner === undefined ? "carries no OpenClawStack tag" : owner === settings.stack ? `is not tagged ${TAGS.data}=${TAG_VALUES.data}` : `belongs to stack ${owner} (OpenClawStack tag)`}, ` +
        `so stack ${settings.stack}'s DLM policy would not snapshot it; to take it over, ` +
        `./build.sh Reattach --stack ${settings.stack} --volume ${id} --adopt-foreign retags it to this stack`,
    );
  }
  if (settings.dataVolumeSizeGib !== undefined && settings.dataVolumeSizeGib !== volume.sizeGib) {
    problems.push(
      `${PROJECT}:${CONFIG.dataVolumeSizeGib} is ${settings.dataVolumeSizeGib} but volume ${id} is ${volume.sizeGib} GiB; ` +
        `an adopted volume keeps its size: leave the key unset`,
    );
  }
  return problems;
}

/** States in which an instance still holds its attachments (a terminated one has none). */
const HOLDING_STATES = ["pending", "running", "stopping", "stopped"];

/** Looks up `data_volume_id` (if set) and fails before any resource is registered when it may not be adopted. */
export async function checkAdoptedVolume(settings: Settings): Promise<AdoptedVolume | undefined> {
  const id = settings.dataVolumeId;
  if (id === undefined) return undefined;
  const key = `${PROJECT}:${CONFIG.dataVolumeId}`;
  let found: aws.ebs.GetVolumeResult;
  let attached: string[];
  let own: string[];
  try {
    const byVolume = [{ name: "block-device-mapping.volume-id", values: [id] }];
    [found, attached, own] = await Promise.all([
      aws.ebs.getVolume({ filters: [{ name: "volume-id", values: [id] }] }),
      aws.ec2.getInstances({ filters: byVolume, instanceStateNames: HOLDING_STATES }).then((r) => r.ids ?? []),
      aws.ec2
        .getInstances({ filters: byVolume, instanceStateNames: HOLDING_STATES, instanceTags: { [TAGS.stack]: settings.stack } })
        .then((r) => r.ids ?? []),
    ]);
  } catch (error) {
    throw new GuardrailError(
      `${key}: volume ${id} could not be read in ${settings.region}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const volume: AdoptedVolume = {
    id,
    availabilityZone: found.availabilityZone,
    sizeGib: found.size,
    encrypted: found.encrypted,
    volumeType: found.volumeType,
    tags: found.tags ?? {},
    attachedElsewhere: attached.filter((instance) => !own.includes(instance)),
  };
  const problems = adoptProblems(volume, settings);
  if (problems.length > 0) throw new GuardrailError(`Adopt guardrail failed (${key}):\n  - ${problems.join("\n  - ")}`);
  return volume;
}
// --- end retain ---
