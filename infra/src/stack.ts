import * as pulumi from "@pulumi/pulumi";
import { Settings } from "./config";
import { DEFAULT_DATA_VOLUME_SIZE_GIB, INSTANCE, OUTPUTS, PERSISTENCE } from "./contract";
import { AdoptedVolume, checkAdoptedVolume, checkRestoreSnapshot, RestoreSnapshot } from "./guardrail";
import { Account, bucketExists, checkAvailabilityZone, lookupAccount, resolveAmi } from "./lookups";
import {
  backupPrefix,
  dashboardName,
  defaultBucketName,
  logGroupPrefix,
  METRICS_NAMESPACE,
  MOUNT_POINT,
  ssmConnectCommand,
  stackTags,
} from "./naming";
import { PolicyScope } from "./policies";
import { s3EndpointPolicy } from "./endpointPolicy";
import { createStackKey, StackKey } from "./resources/kms";
import { createBackupBucket } from "./resources/backupBucket";
import { createDataVolume } from "./resources/dataVolume";
import { boundaryArn, createDlmRole, createInstanceRole } from "./resources/iam";
import { attachDataVolume, createInstance } from "./resources/instance";
import { createLogGroups } from "./resources/logs";
import { createAlarms, createDashboard } from "./resources/alarms";
import { createAlertTopic, createEventAlerts } from "./resources/alerts";
import { createNetwork } from "./resources/network";
import { createSnapshotPolicy } from "./resources/snapshotPolicy";
import { createDrTarget } from "./resources/drCopy";
import { PlaceholderValues } from "./cloudInit/template";
import { prepareUserData, RenderedUserData, UserDataTemplate } from "./userData";

/** Stack outputs; the runbook (build/) reads them by these names (src/contract.ts). */
export interface StackOutputs {
  [OUTPUTS.instanceId]: pulumi.Output<string>;
  /** This and the other optional outputs are absent with persistence: ephemeral (ABSENT_WHEN_EPHEMERAL). */
  [OUTPUTS.dataVolumeId]?: pulumi.Output<string>;
  [OUTPUTS.availabilityZone]: string;
  [OUTPUTS.backupBucket]?: pulumi.Output<string>;
  [OUTPUTS.backupIntervalMinutes]?: number;
  [OUTPUTS.ssmConnectCommand]: pulumi.Output<string>;
  [OUTPUTS.ssmEnvParameter]: string;
  [OUTPUTS.region]: string;
  [OUTPUTS.stack]: string;
  [OUTPUTS.dlmPolicyId]?: pulumi.Output<string>;
  [OUTPUTS.logGroupNames]: pulumi.Output<string>[];
  [OUTPUTS.amiId]: string;
  [OUTPUTS.persistence]: string;
  /** The key to name in `aws ssm put-parameter --key-id` for the secrets parameter. */
  [OUTPUTS.kmsKeyAlias]: pulumi.Output<string> | string;
  [OUTPUTS.kmsKeyArn]?: pulumi.Output<string>;
  // --- observe-infra ---
  [OUTPUTS.dashboardName]: string;
  [OUTPUTS.alertTopicArn]: pulumi.Output<string>;
  // --- end observe-infra ---
}

/** What `put-parameter --key-id` takes when kms_key is aws-managed: SSM's default key. */
export const AWS_MANAGED_SSM_KEY = "alias/aws/ssm";

export interface StackResult {
  outputs: StackOutputs;
  userData: pulumi.Output<RenderedUserData>;
}

/** Stands in for the volume id when checking the user-data before the volume exists; same length as a real one. */
const SAMPLE_VOLUME_ID = "vol-00000000000000000";

/** openclaw.env's volume id and bucket on an ephemeral instance, which has neither (no script there reads them). */
export const NONE = "none";

/** What the checks and lookups found; registering resources from it cannot fail on config. */
export interface PreparedStack {
  settings: Settings;
  account: Account;
  ami: string;
  restore?: RestoreSnapshot;
  /** data_volume_id: the existing volume the stack attaches instead of creating one. */
  adopted?: AdoptedVolume;
  /** Unset with persistence: ephemeral (no backup bucket). */
  bucketName?: string;
  /** The backup bucket outlived an earlier Destroy: the stack adopts it. */
  bucketKept: boolean;
  userDataTemplate: UserDataTemplate;
}

export async function createStack(settings: Settings, cloudInitDir: string): Promise<StackResult> {
  return buildStack(await prepareStack(settings, cloudInitDir));
}

/** Every check and lookup: whatever can fail does so here, before the first resource is registered. */
export async function prepareStack(settings: Settings, cloudInitDir: string): Promise<PreparedStack> {
  const userDataTemplate = prepareUserData(cloudInitDir);
  const [account, ami, restore, adopted] = await Promise.all([
    lookupAccount(),
    resolveAmi(settings),
    checkRestoreSnapshot(settings),
    checkAdoptedVolume(settings),
    checkAvailabilityZone(settings),
  ]);
  if (settings.persistence === PERSISTENCE.ephemeral) {
    userDataTemplate.render(templateValues(settings, NONE, NONE));
    return { settings, account, ami, restore, bucketKept: false, userDataTemplate };
  }
  const bucketName = settings.backupBucketName ?? defaultBucketName(settings.stack, account.accountId, settings.region);
  userDataTemplate.render(templateValues(settings, SAMPLE_VOLUME_ID, bucketName));
  const bucketKept = await bucketExists(bucketName);
  return { settings, account, ami, restore, adopted, bucketName, bucketKept, userDataTemplate };
}

function templateValues(settings: Settings, dataVolumeId: string, backupBucket: string): PlaceholderValues {
  return {
    stack: settings.stack,
    region: settings.region,
    data_volume_id: dataVolumeId,
    data_device_name: settings.dataDeviceName,
    mount_point: MOUNT_POINT,
    backup_bucket: backupBucket,
    backup_prefix: backupPrefix(settings.stack),
    backup_interval_minutes: String(settings.backupIntervalMinutes),
    openclaw_image: settings.openclawImage,
    ssm_env_parameter: settings.ssmEnvParameter,
    log_group_prefix: logGroupPrefix(settings.stack),
    auto_approve_devices: String(settings.autoApproveDevices),
    persistence: settings.persistence,
    gateway_port: String(INSTANCE.gatewayPort),
  };
}

export function buildStack(prepared: PreparedStack): StackResult {
  const { settings, account, ami, bucketName, userDataTemplate } = prepared;
  const tags = stackTags(settings.stack);
  const scope: PolicyScope = {
    ...account,
    region: settings.region,
    stack: settings.stack,
    bucketName,
    backupPrefix: backupPrefix(settings.stack),
    ssmEnvParameter: settings.ssmEnvParameter,
    logGroupPrefix: logGroupPrefix(settings.stack),
    openclawImage: settings.openclawImage,
    metricsNamespace: METRICS_NAMESPACE,
  };

  const network = createNetwork(settings, tags, s3EndpointPolicy(scope));
  const boundary = boundaryArn(scope, settings.permissionsBoundary);
  const instanceRole = createInstanceRole(scope, tags, boundary);
  const stackKey: StackKey | undefined =
    settings.kmsKey === "stack" ? createStackKey(scope, instanceRole.role, tags) : undefined;
  const logGroups = createLogGroups(settings.stack, settings.logRetentionDays, tags, stackKey?.key.arn);
  // persistence: ephemeral has none of these: the state is a directory on the root volume.
  const data = prepared.bucketName === undefined ? undefined : createDataResources(prepared, scope, tags, boundary, stackKey);
  const userData = pulumi
    .all([data?.volumeId ?? NONE, data?.backup.bucket.bucket ?? NONE])
    .apply(([volumeId, bucket]) => userDataTemplate.render(templateValues(settings, volumeId, bucket)));
  const instance = createInstance({
    settings,
    ami,
    subnet: network.subnet,
    securityGroup: network.securityGroup,
    profile: instanceRole.profile,
    userDataBase64: userData.delivery.base64,
    tags,
    dependsOn: [...network.ready, ...logGroups, instanceRole.policy, ...(data?.backup.ready ?? [])],
  });
  if (data) attachDataVolume(settings, data.volumeId, instance);

  const alertTopic = createAlertTopic(scope, tags, stackKey?.key.arn, settings.alertEmail);
  const alarms = createAlarms(settings, instance.id, alertTopic.topic.arn, tags);
  createEventAlerts(settings.stack, instance.id, data?.volumeId, alertTopic, tags);
  createDashboard(settings, instance.id, alarms);

  return {
    userData,
    outputs: {
      [OUTPUTS.instanceId]: instance.id,
      ...(data ? { [OUTPUTS.dataVolumeId]: data.volumeId } : {}),
      [OUTPUTS.availabilityZone]: settings.availabilityZone,
      ...(data ? { [OUTPUTS.backupBucket]: data.backup.bucket.bucket } : {}),
      ...(data ? { [OUTPUTS.backupIntervalMinutes]: settings.backupIntervalMinutes } : {}),
      [OUTPUTS.ssmConnectCommand]: instance.id.apply((id) => ssmConnectCommand(settings.region, id)),
      [OUTPUTS.ssmEnvParameter]: settings.ssmEnvParameter,
      [OUTPUTS.region]: settings.region,
      [OUTPUTS.stack]: settings.stack,
      ...(data ? { [OUTPUTS.dlmPolicyId]: data.snapshotPolicy.id } : {}),
      [OUTPUTS.logGroupNames]: logGroups.map((group) => group.name),
      [OUTPUTS.amiId]: ami,
      [OUTPUTS.persistence]: settings.persistence,
      [OUTPUTS.kmsKeyAlias]: stackKey?.alias.name ?? AWS_MANAGED_SSM_KEY,
      ...(stackKey ? { [OUTPUTS.kmsKeyArn]: stackKey.key.arn } : {}),
      [OUTPUTS.dashboardName]: dashboardName(settings.stack),
      [OUTPUTS.alertTopicArn]: alertTopic.topic.arn,
    },
  };
}

/** persistence: snapshots: the data volume, its DLM policy and the S3 backup bucket. */
function createDataResources(prepared: PreparedStack, scope: PolicyScope, tags: Record<string, string>, boundary: string | undefined, stackKey?: StackKey) {
  const { settings, restore, adopted, bucketKept } = prepared;
  const backup = createBackupBucket({ name: prepared.bucketName!, prefix: backupPrefix(settings.stack), exists: bucketKept, tags });
  const dlmRole = createDlmRole(scope, tags, settings.drRegion, boundary);
  const drTarget = settings.drRegion ? createDrTarget(scope, settings.drRegion, settings.kmsKey === "stack", tags) : undefined;
  const snapshotPolicy = createSnapshotPolicy(settings, dlmRole.role, dlmRole.policy, drTarget);
  // An adopted volume is attached, never created (so never deleted) by the stack.
  const volumeId = adopted
    ? pulumi.output(adopted.id)
    : createDataVolume(
        settings,
        settings.dataVolumeSizeGib ?? restore?.volumeSizeGib ?? DEFAULT_DATA_VOLUME_SIZE_GIB,
        stackKey?.key.arn,
      ).id;
  return { backup, snapshotPolicy, volumeId };
}
