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
