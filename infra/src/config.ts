import * as pulumi from "@pulumi/pulumi";
import {
  CONFIG,
  ConfigKey,
  DEFAULTS,
  NO_PERMISSIONS_BOUNDARY,
  defaultSsmEnvParameter,
  Persistence,
  PERSISTENCE,
  PERSISTENCE_MODES,
  PROJECT,
  REGION_KEY,
} from "./contract";

export { CONFIG, DEFAULT_DATA_VOLUME_SIZE_GIB, DEFAULTS, PROJECT } from "./contract";
export type { ConfigKey, Persistence } from "./contract";

/** Stack config keys in the project namespace (`openclaw:<key>`), from the contract. */
export const CONFIG_KEYS = Object.values(CONFIG) as ConfigKey[];

export type Architecture = "arm64" | "x86_64";

export interface Settings {
  stack: string;
  region: string;
  availabilityZone: string;
  instanceType: string;
  architecture: Architecture;
  dataVolumeSnapshotId?: string;
  /** Unset means: 20 GiB for a fresh volume, the snapshot's size for a restore. */
  dataVolumeSizeGib?: number;
  dataDeviceName: string;
  ami?: string;
  snapshotScheduleIntervalHours: number;
  snapshotScheduleTime: string;
  snapshotRetentionDays: number;
  backupBucketName?: string;
  backupIntervalMinutes: number;
  openclawImage: string;
  ssmEnvParameter: string;
  logRetentionDays: number;
  /** Approve device-pairing requests every minute on the instance (opt-in; off by default). */
  autoApproveDevices: boolean;
  // --- ephemeral ---
  /** snapshots: data volume, DLM and the S3 mirror; ephemeral: the state on the root volume only. */
  persistence: Persistence;
  // --- end ephemeral ---
  // --- security (issue 11) ---
  /** stack: a customer-managed key created by the stack; aws-managed: the aws/ebs, aws/ssm and Logs default keys. */
  kmsKey: KmsKeyMode;
  // --- platfix ---
  /** The managed policy name (in the stack's account) set as both stack roles' permissions boundary; undefined: none. */
  permissionsBoundary?: string;
  // --- end platfix ---
  // --- end security ---
  // --- observe-infra ---
  /** Subscribed to the alert topic when set. */
  alertEmail?: string;
  alarmDiskUsedPercent: number;
  alarmMemoryUsedPercent: number;
  // --- end observe-infra ---
  // --- retain ---
  /** Keep the created data volume on destroy (pulumi retainOnDelete; Destroy detaches and tags it). */
  dataVolumeRetainOnDestroy: boolean;
  /** Adopt this existing volume instead of creating one (checked by guardrail.ts; never deleted by the stack). */
  dataVolumeId?: string;
  // --- end retain ---
  // --- move (issue 16) ---
  /** DLM copies each scheduled snapshot to this region (encrypted there), for `Move --region`. */
  drRegion?: string;
  /** How long the copies in drRegion are kept. */
  drRetentionDays: number;
  // --- end move ---
}

// --- security (issue 11) ---
export const KMS_KEY_MODES = ["stack", "aws-managed"] as const;
export type KmsKeyMode = (typeof KMS_KEY_MODES)[number];
// --- end security ---

/** Raised for invalid stack config; RunError makes Pulumi print the message without a stack trace. */
export class ConfigError extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

const DLM_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24];
// The backup timer is OnCalendar=*:0/N (cloud-init/systemd/openclaw-backup.timer): N must divide the hour evenly.
const BACKUP_INTERVAL_MINUTES = [5, 6, 10, 12, 15, 20, 30];
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const SNAPSHOT_ID = /^snap-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VOLUME_ID = /^vol-([0-9a-f]{8}|[0-9a-f]{17})$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const DEVICE_NAME = /^\/dev\/(sd|xvd)[f-p]$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const EMAIL = /^[^@\s"<>,;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const SSM_PARAMETER = /^(\/[A-Za-z0-9_.-]+)+$/;
const IMAGE_REF =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** A value check: returns the parsed value, or throws a string naming the accepted values. */
type Check<T> = (value: string) => T;

function matching(pattern: RegExp, accepted: string): Check<string> {
  return (value) => {
    if (!pattern.test(value)) throw accepted;
    return value;
  };
}

function integer(min: number, max: number): Check<number> {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw `an integer from ${min} to ${max}`;
    return Number(value);
  };
}

const boolean: Check<boolean> = (value) => {
  if (value !== "true" && value !== "false") throw "true or false";
  return value === "true";
};

function oneOf(values: number[]): Check<number> {
  return (value) => {
    if (!values.map(String).includes(value)) throw `one of ${values.join(", ")}`;
    return Number(value);
  };
}

export function bucketNameProblem(name: string): string | undefined {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes("..") &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) &&
    !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name);
  return ok
    ? undefined
    : "an S3 bucket name: 3-63 characters of a-z, 0-9, '.', '-', starting and ending with a letter or digit";
}

const bucketName: Check<string> = (value) => {
  const problem = bucketNameProblem(value);
  if (problem) throw problem;
  return value;
};

const ssmParameter: Check<string> = (value) => {
  if (!SSM_PARAMETER.test(value) || value.length > 1011 || /^\/(aws|ssm)(\/|$)/i.test(value)) {
    throw "an SSM parameter name starting with '/', e.g. /openclaw/dev/env (not under /aws or /ssm)";
  }
  return value;
};

// --- ephemeral ---
const persistenceMode: Check<Persistence> = (value) => {
  if (!(PERSISTENCE_MODES as string[]).includes(value)) throw PERSISTENCE_MODES.join(" or ");
  return value as Persistence;
};
// --- end ephemeral ---

// --- security (issue 11) ---
const kmsKeyMode: Check<KmsKeyMode> = (value) => {
  if (!(KMS_KEY_MODES as readonly string[]).includes(value)) throw KMS_KEY_MODES.join(" or ");
  return value as KmsKeyMode;
};
// --- end security ---

// --- platfix ---
const boundaryPolicy: Check<string | undefined> = (value) => {
  if (value === NO_PERMISSIONS_BOUNDARY) return undefined;
  if (!/^[A-Za-z0-9+=,.@_-]{1,128}$/.test(value)) throw `a managed policy name in the stack's account (default ${DEFAULTS.permissions_boundary}, created by the platform) or ${NO_PERMISSIONS_BOUNDARY}`;
  return value;
};
// --- end platfix ---

/** Graviton families carry a `g` right after the generation digit (t4g, m7g, c7gn, x2gd, g5g); a1 too. */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split(".")[0];
  return family === "a1" || /^[a-z]+\d+g/.test(family) ? "arm64" : "x86_64";
}

export interface ConfigSource {
  stack: string;
  /** `aws:region` */
  region: string | undefined;
  /** Every key set in the `openclaw` namespace, short names, string values as Pulumi passes them. */
  values: Record<string, string | undefined>;
}

/** Validates the whole config at once so one run reports every problem. */
export function parseSettings(source: ConfigSource): Settings {
  const problems: string[] = [];
  const raw = source.values;

  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      problems.push(`${PROJECT}:${key} is not a known key; accepted keys: ${CONFIG_KEYS.join(", ")}`);
    }
  }

  const region = source.region ?? "";
  if (!REGION.test(region)) {
    problems.push(
      source.region === undefined
        ? "aws:region is required; accepted: an AWS region, e.g. me-central-1 (pulumi config set aws:region me-central-1)"
        : `aws:region: got "${region}"; accepted: an AWS region such as me-central-1`,
    );
  }

  function read<T>(key: ConfigKey, check: Check<T>, fallback?: string): T | undefined {
    const value = raw[key] ?? fallback;
    if (value === undefined) return undefined;
    try {
      return check(value);
    } catch (accepted) {
      problems.push(`${PROJECT}:${key}: got "${value}"; accepted: ${String(accepted)}`);
      return undefined;
    }
  }

  const azAccepted = `an availability zone of aws:region ${region || "<region>"}, e.g. ${region || "me-central-1"}a`;
  const inRegion: Check<string> = (value) => {
    if (REGION.test(region) && !new RegExp(`^${region}[a-z]$`).test(value)) throw azAccepted;
    return value;
  };
  const availabilityZone = read(CONFIG.availabilityZone, inRegion);
  // --- move (issue 16) ---
  const otherRegion: Check<string> = (value) => {
    if (!REGION.test(value)) throw "an AWS region such as eu-central-1, other than aws:region";
    if (value === region) throw `a region other than aws:region ${region}: the copies must survive an outage of ${region}`;
    return value;
  };
  // --- end move ---
  if (raw[CONFIG.availabilityZone] === undefined) {
    problems.push(`${PROJECT}:${CONFIG.availabilityZone} is required; accepted: ${azAccepted}`);
  }

  const settings = {
    stack: source.stack,
    region,
    availabilityZone,
    instanceType: read(
      CONFIG.instanceType,
      matching(INSTANCE_TYPE, "an EC2 instance type such as t4g.small or t3.small"),
      DEFAULTS.instance_type,
    ),
    dataVolumeSnapshotId: read(
      CONFIG.dataVolumeSnapshotId,
      matching(SNAPSHOT_ID, "an EBS snapshot id: snap- followed by 8 or 17 hex digits"),
    ),
    dataVolumeSizeGib: read(CONFIG.dataVolumeSizeGib, integer(1, 16384)),
    dataDeviceName: read(
      CONFIG.dataDeviceName,
      matching(DEVICE_NAME, "/dev/sdf through /dev/sdp (or /dev/xvdf through /dev/xvdp)"),
      DEFAULTS.data_device_name,
    ),
    ami: read(CONFIG.ami, matching(AMI_ID, "an AMI id: ami- followed by 8 or 17 hex digits")),
    snapshotScheduleIntervalHours: read(
      CONFIG.snapshotScheduleIntervalHours,
      oneOf(DLM_INTERVAL_HOURS),
      DEFAULTS.snapshot_schedule_interval_hours,
    ),
    snapshotScheduleTime: read(
      CONFIG.snapshotScheduleTime,
      matching(TIME_OF_DAY, "HH:MM in UTC, 24-hour clock, e.g. 03:00"),
      DEFAULTS.snapshot_schedule_time,
    ),
    snapshotRetentionDays: read(CONFIG.snapshotRetentionDays, integer(1, 3650), DEFAULTS.snapshot_retention_days),
    backupBucketName: read(CONFIG.backupBucketName, bucketName),
    backupIntervalMinutes: read(CONFIG.backupIntervalMinutes, oneOf(BACKUP_INTERVAL_MINUTES), DEFAULTS.backup_interval_minutes),
    openclawImage: read(
      CONFIG.openclawImage,
      matching(IMAGE_REF, "a container image reference such as ghcr.io/openclaw/openclaw:latest"),
      DEFAULTS.openclaw_image,
    ),
    ssmEnvParameter: read(CONFIG.ssmEnvParameter, ssmParameter, defaultSsmEnvParameter(source.stack)),
    logRetentionDays: read(CONFIG.logRetentionDays, oneOf(LOG_RETENTION_DAYS), DEFAULTS.log_retention_days),
    autoApproveDevices: read(CONFIG.autoApproveDevices, boolean, DEFAULTS.auto_approve_devices),
    // --- ephemeral ---
    persistence: read(CONFIG.persistence, persistenceMode, DEFAULTS.persistence),
    // --- end ephemeral ---
    // --- security (issue 11) ---
    kmsKey: read(CONFIG.kmsKey, kmsKeyMode, DEFAULTS.kms_key),
    // --- end security ---
    // --- observe-infra ---
    alertEmail: read(CONFIG.alertEmail, matching(EMAIL, "an e-mail address such as ops@example.com")),
    alarmDiskUsedPercent: read(CONFIG.alarmDiskUsedPercent, integer(1, 100), DEFAULTS.alarm_disk_used_percent),
    alarmMemoryUsedPercent: read(CONFIG.alarmMemoryUsedPercent, integer(1, 100), DEFAULTS.alarm_memory_used_percent),
    // --- end observe-infra ---
    // --- retain ---
    dataVolumeRetainOnDestroy: read(CONFIG.dataVolumeRetainOnDestroy, boolean, DEFAULTS.data_volume_retain_on_destroy),
    dataVolumeId: read(CONFIG.dataVolumeId, matching(VOLUME_ID, "an EBS volume id: vol- followed by 8 or 17 hex digits")),
    // --- end retain ---
    // --- move (issue 16) ---
    drRegion: read(CONFIG.drRegion, otherRegion),
    drRetentionDays: read(CONFIG.drRetentionDays, integer(1, 3650), DEFAULTS.dr_retention_days),
    // --- end move ---
    // --- platfix ---
    permissionsBoundary: read(CONFIG.permissionsBoundary, boundaryPolicy, DEFAULTS.permissions_boundary),
    // --- end platfix ---
  };
  // --- retain ---
  if (raw[CONFIG.dataVolumeId] !== undefined && raw[CONFIG.dataVolumeSnapshotId] !== undefined) {
    problems.push(
      `${PROJECT}:${CONFIG.dataVolumeId} and ${PROJECT}:${CONFIG.dataVolumeSnapshotId} exclude each other: adopt an existing volume ` +
        `or create one from a snapshot, not both; remove one (pulumi config rm <key>)`,
    );
  }
  // --- end retain ---

  // --- ephemeral ---
  if (settings.persistence === PERSISTENCE.ephemeral) {
    const volumeKeys = [
      [CONFIG.dataVolumeSnapshotId, "restores a data volume"],
      [CONFIG.dataVolumeId, "adopts a data volume"],
      [CONFIG.dataVolumeRetainOnDestroy, "keeps the data volume"],
      [CONFIG.drRegion, "copies the data volume's snapshots"],
    ] as const;
    for (const [key, what] of volumeKeys) {
      if (raw[key] === undefined || (key === CONFIG.dataVolumeRetainOnDestroy && raw[key] === "false")) continue;
      problems.push(
        `${PROJECT}:${key} ${what}, and ${PROJECT}:${CONFIG.persistence}: ephemeral has none; remove one (pulumi config rm <key>)`,
      );
    }
  }
  // --- end ephemeral ---

  if (problems.length > 0) throw new ConfigError(problems);
  // Every required field is set once no problem was found.
  const complete = settings as Omit<Settings, "architecture">;
  return { ...complete, architecture: architectureOf(complete.instanceType) };
}

/** Reads the running stack's config through Pulumi (the entrypoint and the offline runner both use it). */
export function readConfigSource(): ConfigSource {
  const prefix = `${PROJECT}:`;
  const all = pulumi.runtime.allConfig();
  const values: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix)) values[key.slice(prefix.length)] = value;
  }
  return { stack: pulumi.getStack(), region: all[REGION_KEY], values };
}
