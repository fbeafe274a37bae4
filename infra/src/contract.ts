/**
 * The contract between the stack (this program) and the runbook (build/, C#): config keys, output names, tags and
 * defaults, defined here once. `npm run contract` writes them to infra/contract.json, which the build embeds and reads;
 * a test on each side fails when the two drift. Nothing else in infra/ or build/ spells these names.
 */

/** The Pulumi project; stack config keys live in its namespace (`openclaw:<key>`). */
export const PROJECT = "openclaw";

/** The aws provider's region key (outside the project namespace). */
export const REGION_KEY = "aws:region";

/** Stack config keys (short names, snake_case). */
export const CONFIG = {
  availabilityZone: "availability_zone",
  instanceType: "instance_type",
  dataVolumeSnapshotId: "data_volume_snapshot_id",
  dataVolumeSizeGib: "data_volume_size_gib",
  dataDeviceName: "data_device_name",
  ami: "ami",
  snapshotScheduleIntervalHours: "snapshot_schedule_interval_hours",
  snapshotScheduleTime: "snapshot_schedule_time",
  snapshotRetentionDays: "snapshot_retention_days",
  backupBucketName: "backup_bucket_name",
  backupIntervalMinutes: "backup_interval_minutes",
  openclawImage: "openclaw_image",
  ssmEnvParameter: "ssm_env_parameter",
  logRetentionDays: "log_retention_days",
  autoApproveDevices: "auto_approve_devices",
  // --- ephemeral ---
  /** Where OpenClaw's state lives: `snapshots` (a data volume, DLM, the S3 mirror) or `ephemeral` (the root volume only). */
  persistence: "persistence",
  // --- end ephemeral ---
  // --- security (issue 11) ---
  kmsKey: "kms_key",
  // --- end security ---
  // --- observe-infra ---
  /** Optional: an e-mail address subscribed to the alert topic (AWS mails a confirmation link first). */
  alertEmail: "alert_email",
  /** The data-volume-full alarm's threshold, percent of the volume used. */
  alarmDiskUsedPercent: "alarm_disk_used_percent",
  /** The memory-high alarm's threshold, percent of the instance's memory used. */
  alarmMemoryUsedPercent: "alarm_memory_used_percent",
  // --- end observe-infra ---
  // --- retain ---
  /** Keep the data volume (detached, tagged OpenClawRetainedAt/From) when the stack is destroyed. */
  dataVolumeRetainOnDestroy: "data_volume_retain_on_destroy",
  /** Adopt (attach) this existing volume instead of creating one; never deleted by the stack. */
  dataVolumeId: "data_volume_id",
  // --- end retain ---
  // --- move (issue 16) ---
  /** A second region DLM copies every scheduled snapshot to (encrypted), for Move --region; unset: no copies. */
  drRegion: "dr_region",
  /** Days the copies in dr_region are kept (their own retain rule). */
  drRetentionDays: "dr_retention_days",
  // --- end move ---
  // --- platfix ---
  permissionsBoundary: "permissions_boundary",
  // --- end platfix ---
} as const;

export type ConfigKey = (typeof CONFIG)[keyof typeof CONFIG];

/** Stack outputs, by the names the runbook reads them. */
export const OUTPUTS = {
  instanceId: "instance_id",
  dataVolumeId: "data_volume_id",
  availabilityZone: "availability_zone",
  backupBucket: "backup_bucket",
  backupIntervalMinutes: "backup_interval_minutes",
  ssmConnectCommand: "ssm_connect_command",
  ssmEnvParameter: "ssm_env_parameter",
  region: "region",
  stack: "stack",
  dlmPolicyId: "dlm_policy_id",
  logGroupNames: "log_group_names",
  amiId: "ami_id",
  // --- ephemeral ---
  /** The stack's persistence mode as deployed (config `persistence`); the runbook compares it with the config. */
  persistence: "persistence",
  // --- end ephemeral ---
  // --- security (issue 11) ---
  /** The --key-id for the secrets parameter: alias/openclaw-<stack>, or alias/aws/ssm with kms_key: aws-managed. */
  kmsKeyAlias: "kms_key_alias",
  /** kms_key: stack only. */
  kmsKeyArn: "kms_key_arn",
  // --- end security ---
  // --- observe ---
  /** The CloudWatch dashboard of the stack (Dashboard target). */
  dashboardName: "dashboard_name",
  /** The SNS topic alarms and events notify. */
  alertTopicArn: "alert_topic_arn",
  // --- end observe ---
} as const;

/** Tags on the data volume and its snapshots, and on every resource of the stack. */
export const TAGS = {
  data: "OpenClawData",
  stack: "OpenClawStack",
  az: "OpenClawAz",
  createdBy: "CreatedBy",
  managedBy: "ManagedBy",
  // --- retain ---
  /** On a data volume Destroy kept: when (UTC, ISO 8601) and from which stack. */
  retainedAt: "OpenClawRetainedAt",
  retainedFrom: "OpenClawRetainedFrom",
  // --- end retain ---
  // --- move (issue 16) ---
  /** On a snapshot Move copied for another AZ or region: `<old az>/<source snapshot id>`, the recorded acknowledgement. */
  movedFrom: "OpenClawMovedFrom",
  // --- end move ---
} as const;

/** Values of those tags that are fixed. */
export const TAG_VALUES = {
  data: "true",
  createdByDlm: "dlm",
  createdByManualFinal: "manual-final",
  managedBy: "pulumi",
} as const;

/** Defaults of the optional config keys, as Pulumi passes config: strings. */
export const DEFAULTS = {
  instance_type: "t4g.small",
  data_device_name: "/dev/sdf",
  snapshot_schedule_interval_hours: "24",
  snapshot_schedule_time: "03:00",
  snapshot_retention_days: "7",
  backup_interval_minutes: "20",
  openclaw_image: "ghcr.io/openclaw/openclaw:latest",
  log_retention_days: "30",
  auto_approve_devices: "false",
  // --- ephemeral ---
  persistence: "snapshots",
  // --- end ephemeral ---
  // --- security (issue 11) ---
  kms_key: "stack",
  // --- end security ---
  // --- observe-infra ---
  alarm_disk_used_percent: "80",
  alarm_memory_used_percent: "90",
  // --- end observe-infra ---
  // --- retain ---
  data_volume_retain_on_destroy: "false",
  // --- end retain ---
  // --- move (issue 16) ---
  dr_retention_days: "7",
  // --- end move ---
  // --- platfix ---
  permissions_boundary: "openclaw-stack-boundary",
  // --- end platfix ---
} satisfies Partial<Record<ConfigKey, string>>;

// --- ephemeral ---
/**
 * The values of config `persistence`. `snapshots`: a data volume at the mount point, DLM snapshots, the S3 mirror
 * (a retained volume is this mode plus its retain flag). `ephemeral`: none of them; the state is a directory on the
 * root volume at the same path, and goes with the instance.
 */
export const PERSISTENCE = { snapshots: "snapshots", ephemeral: "ephemeral" } as const;
export type Persistence = (typeof PERSISTENCE)[keyof typeof PERSISTENCE];
export const PERSISTENCE_MODES = Object.values(PERSISTENCE) as Persistence[];

/** Outputs an ephemeral stack does not export (there is no data volume, DLM policy or backup bucket). */
export const ABSENT_WHEN_EPHEMERAL = [
  OUTPUTS.dataVolumeId,
  OUTPUTS.backupBucket,
  OUTPUTS.backupIntervalMinutes,
  OUTPUTS.dlmPolicyId,
] as const;
// --- end ephemeral ---

/** Unset data_volume_size_gib: this size for a fresh volume, the snapshot's size for a restore. */
export const DEFAULT_DATA_VOLUME_SIZE_GIB = 20;

/** ssm_env_parameter when unset; `{stack}` is the stack name. */
export const DEFAULT_SSM_ENV_PARAMETER = "/openclaw/{stack}/env";

export const defaultSsmEnvParameter = (stack: string) => DEFAULT_SSM_ENV_PARAMETER.replace("{stack}", stack);

// --- platfix ---
/**
 * The managed policy the platform program creates (infra/src/platform/boundary.ts) as the permissions boundary of the
 * stack's instance and DLM roles: the deploy role may create and change those roles only with it attached. Its name is
 * outside the openclaw-instance-* / openclaw-dlm-* names the deploy role may write, and that role has no policy writes.
 */
export const STACK_BOUNDARY_POLICY = DEFAULTS.permissions_boundary;
/** permissions_boundary: no boundary (an account without the platform, deploying with an administrator's credentials). */
export const NO_PERMISSIONS_BOUNDARY = "none";
// --- end platfix ---
// --- structfix ---
/**
 * Facts of the instance the runbook also needs: the gateway's port (published on the instance's 127.0.0.1 only).
 * infra fills it into the boot files as `{{gateway_port}}` (cloud-init/README.md); the build forwards to it (Gateway).
 */
export const INSTANCE = {
  gatewayPort: 18789,
} as const;
// --- end structfix ---

/** What infra/contract.json holds; its first field says it is generated. */
export function contractDocument() {
  return {
    generated: "Generated by `npm run contract` in infra/ from infra/src/contract.ts; do not edit.",
    project: PROJECT,
    regionKey: REGION_KEY,
    config: CONFIG,
    outputs: OUTPUTS,
    tags: TAGS,
    tagValues: TAG_VALUES,
    persistenceModes: PERSISTENCE,
    absentWhenEphemeral: ABSENT_WHEN_EPHEMERAL,
    instance: INSTANCE,
    defaults: { ...DEFAULTS, data_volume_size_gib: String(DEFAULT_DATA_VOLUME_SIZE_GIB), ssm_env_parameter: DEFAULT_SSM_ENV_PARAMETER },
  };
}

/** The text of infra/contract.json. */
export const contractJson = () => JSON.stringify(contractDocument(), null, 2) + "\n";
