import { bucketNameProblem, ConfigError } from "./config";
import { CONFIG, PROJECT, TAG_VALUES, TAGS } from "./contract";

/** Names shared with cloud-init/ and build/ (docs/contracts.md). */
export const MOUNT_POINT = "/opt/openclaw";
/** The CloudWatch agent's metrics namespace (cloud-init/cloudwatch/amazon-cloudwatch-agent.json); the role may put only there. */
export const METRICS_NAMESPACE = "OpenClaw";
export const LOG_STREAM_KINDS = ["boot", "openclaw", "backup"] as const;

export const logGroupPrefix = (stack: string) => `/openclaw/${stack}`;
export const backupPrefix = (stack: string) => `${stack}/`;

export const stackTags = (stack: string) => ({ [TAGS.stack]: stack, [TAGS.managedBy]: TAG_VALUES.managedBy });

/** The tags the DLM policy targets: the data volume must carry them or it is never snapshotted. */
export const dataVolumeTargetTags = (stack: string) => ({ [TAGS.data]: TAG_VALUES.data, [TAGS.stack]: stack });

/** DLM targets these tags and copies them to snapshots; the restore guardrail reads OpenClawAz back. */
export const dataVolumeTags = (stack: string, availabilityZone: string) => ({
  Name: `openclaw-${stack}-data`,
  ...dataVolumeTargetTags(stack),
  [TAGS.az]: availabilityZone,
});

/** Deterministic so it is known at preview time and unique per account, region and stack. */
export function defaultBucketName(stack: string, accountId: string, region: string): string {
  const name = `openclaw-${stack.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-${accountId}-${region}`;
  const problem = bucketNameProblem(name);
  if (problem) {
    throw new ConfigError([
      `${PROJECT}:${CONFIG.backupBucketName} is needed: the default name "${name}" is not ${problem}`,
    ]);
  }
  return name;
}

export const ssmConnectCommand = (region: string, instanceId: string) =>
  `aws ssm start-session --region ${region} --target ${instanceId}`;

// --- observe-infra ---
/** Prefix of every alarm, rule and topic of the stack; the runbook's Doctor lists alarms by it. */
export const observePrefix = (stack: string) => `openclaw-${stack}-`;
export const alarmName = (stack: string, kind: string) => `${observePrefix(stack)}${kind}`;
export const eventRuleName = (stack: string, kind: string) => `${observePrefix(stack)}${kind}`;
export const alertTopicName = (stack: string) => `${observePrefix(stack)}alerts`;
export const dashboardName = (stack: string) => `openclaw-${stack}`;
/** What the instance's scripts emit as embedded-metric-format lines (cloud-init/scripts/lib.sh emit_metrics). */
export const STACK_METRICS = {
  backupSucceeded: "BackupSucceeded",
  backupFailed: "BackupFailed",
  backupAgeSeconds: "BackupAgeSeconds",
  gatewayHealthy: "GatewayHealthy",
} as const;
/** The one dimension of those metrics; the agent adds it to its disk and memory metrics too. */
export const STACK_DIMENSION = "Stack";
/** The data volume's filesystem: mount-data-volume.sh formats a blank volume as xfs (the agent's fstype dimension). */
export const DATA_FS_TYPE = "xfs";
// --- end observe-infra ---
