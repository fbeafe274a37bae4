import { beforeAll, describe, expect, it } from "vitest";
import { OfflineRun, PlannedResource, USER_DATA_MARKER } from "../src/offline/run";
import { ABSENT_WHEN_EPHEMERAL, OUTPUTS } from "../src/contract";
import { restoreMocks, runStack, SNAPSHOT_ID } from "./support/stacks";

const find = (run: OfflineRun, type: string, name?: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0];
};

const approvalText = (run: OfflineRun) => `${JSON.stringify({ outputs: run.outputs, resources: run.resources }, null, 2)}\n`;

describe("default config", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack();
  });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("./__approved__/stack-default.approved.json");
  });

  it("exports the outputs the runbook reads", () => {
    expect(run.outputs).toEqual({
      instance_id: expect.stringMatching(/^i-[0-9a-f]{17}$/),
      data_volume_id: expect.stringMatching(/^vol-[0-9a-f]{17}$/),
      availability_zone: "me-central-1a",
      backup_bucket: "openclaw-dev-123456789012-me-central-1",
      backup_interval_minutes: 20,
      ssm_connect_command: `aws ssm start-session --region me-central-1 --target ${run.outputs.instance_id}`,
      ssm_env_parameter: "/openclaw/dev/env",
      region: "me-central-1",
      stack: "dev",
      dlm_policy_id: expect.stringMatching(/^policy-/),
      log_group_names: ["/openclaw/dev/boot", "/openclaw/dev/openclaw", "/openclaw/dev/backup"],
      ami_id: expect.stringMatching(/^ami-/),
      persistence: "snapshots",
      kms_key_alias: "alias/openclaw-dev",
      kms_key_arn: expect.stringMatching(/^arn:aws:kms:me-central-1:123456789012:key\//),
      dashboard_name: "openclaw-dev",
      alert_topic_arn: "arn:aws:sns:me-central-1:123456789012:openclaw-dev-alerts",
    });
  });

  it("creates an encrypted gp3 data volume in the pinned AZ with the DLM tags", () => {
    expect(find(run, "aws:ebs/volume:Volume").inputs).toEqual({
      availabilityZone: "me-central-1a",
      encrypted: true,
      kmsKeyId: run.outputs.kms_key_arn,
      size: 20,
      type: "gp3",
      tags: { Name: "openclaw-dev-data", OpenClawData: "true", OpenClawStack: "dev", OpenClawAz: "me-central-1a" },
    });
  });

  it("runs a persistent, stop-on-interruption spot instance with IMDSv2, no key pair and an encrypted root", () => {
    const instance = find(run, "aws:ec2/instance:Instance");
    expect(instance.inputs).toMatchObject({
      instanceType: "t4g.small",
      availabilityZone: "me-central-1a",
      instanceMarketOptions: {
        marketType: "spot",
        spotOptions: { spotInstanceType: "persistent", instanceInterruptionBehavior: "stop" },
      },
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true },
      userDataBase64: USER_DATA_MARKER,
    });
    expect(instance.inputs).not.toHaveProperty("keyName");
    expect(instance.options).toMatchObject({ deleteBeforeReplace: true, ignoreChanges: ["ami"] });
  });

  it("boots the instance only once its network, role policy, log groups and bucket are in place", () => {
    expect(find(run, "aws:ec2/instance:Instance").options.dependsOn).toEqual(
      expect.arrayContaining([
        "aws:ec2/route:Route::openclaw-internet",
        "aws:ec2/vpcEndpoint:VpcEndpoint::openclaw-s3",
        "aws:iam/rolePolicy:RolePolicy::openclaw-instance",
        "aws:cloudwatch/logGroup:LogGroup::openclaw-boot",
        "aws:s3/bucketVersioning:BucketVersioning::openclaw-backup",
      ]),
    );
  });

  it("attaches the volume at data_device_name, deleting the old attachment before a replacement", () => {
    const attachment = find(run, "aws:ec2/volumeAttachment:VolumeAttachment");
    expect(attachment.inputs).toMatchObject({ deviceName: "/dev/sdf", stopInstanceBeforeDetaching: true });
    expect(attachment.inputs.volumeId).toBe(run.outputs.data_volume_id);
    expect(attachment.inputs.instanceId).toBe(run.outputs.instance_id);
    expect(attachment.options).toEqual({ deleteBeforeReplace: true });
  });

  it("allows no inbound traffic", () => {
    const group = find(run, "aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs.ingress).toEqual([]);
    expect(run.resources.map((r) => r.type)).not.toContain("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
  });

  it("places the subnet in the pinned AZ", () => {
    expect(find(run, "aws:ec2/subnet:Subnet").inputs.availabilityZone).toBe("me-central-1a");
  });

  it("snapshots volumes with the stack's tags on the configured schedule, copying tags", () => {
    expect(find(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy").inputs.policyDetails).toEqual({
      resourceTypes: ["VOLUME"],
      targetTags: { OpenClawData: "true", OpenClawStack: "dev" },
      schedules: [
        {
          name: "every 24h kept 7d",
          createRule: { interval: 24, intervalUnit: "HOURS", times: "03:00" },
          retainRule: { interval: 7, intervalUnit: "DAYS" },
          copyTags: true,
          tagsToAdd: { CreatedBy: "dlm" },
        },
      ],
    });
  });

  it("keeps the backup bucket private, versioned, encrypted, and expires old versions", () => {
    expect(find(run, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
    expect(find(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      find(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs,
    ).toMatchObject({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    expect(find(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules).toEqual([
      { id: "expire-old-archives", status: "Enabled", filter: { prefix: "dev/archives/" }, expiration: { days: 30 } },
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        expiration: { expiredObjectDeleteMarker: true },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ]);
  });

  it("keeps the backup bucket and its settings on Destroy (never force-destroyed)", () => {
    const bucketResources = run.resources.filter((r) => r.type.startsWith("aws:s3/bucket") && r.name === "openclaw-backup");
    expect(bucketResources.map((r) => r.type).sort()).toEqual([
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketPolicy:BucketPolicy",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketVersioning:BucketVersioning",
    ]);
    for (const resource of bucketResources) expect(resource.options.retainOnDelete, resource.type).toBe(true);
    expect(find(run, "aws:s3/bucket:Bucket").inputs.forceDestroy).toBe(false);
    expect(find(run, "aws:s3/bucket:Bucket").options.import).toBeUndefined();
  });

  it("adopts the bucket an earlier Destroy kept, instead of failing to create it again", async () => {
    const name = "openclaw-dev-123456789012-me-central-1";
    const again = await runStack({ mocks: { existingBuckets: [name] } });
    expect(find(again, "aws:s3/bucket:Bucket").options).toMatchObject({ import: name, retainOnDelete: true });
  });

  it("creates the three log groups with the configured retention", () => {
    const groups = run.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => [g.inputs.name, g.inputs.retentionInDays])).toEqual([
      ["/openclaw/dev/backup", 30],
      ["/openclaw/dev/boot", 30],
      ["/openclaw/dev/openclaw", 30],
    ]);
  });
});

describe("snapshot-restore config", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack({
      config: { "openclaw:data_volume_snapshot_id": SNAPSHOT_ID },
      mocks: restoreMocks({ OpenClawData: "true", OpenClawStack: "dev", OpenClawAz: "me-central-1a" }, 30),
    });
  });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("./__approved__/stack-restore.approved.json");
  });

  it("creates the data volume from the snapshot", () => {
    expect(find(run, "aws:ebs/volume:Volume").inputs).toMatchObject({ snapshotId: SNAPSHOT_ID, size: 30 });
  });
});

describe("config values reach the resources", () => {
  it("uses an x86 AMI lookup, a pinned AMI, custom names and schedules", async () => {
    const run = await runStack({
      config: {
        "openclaw:instance_type": "t3.small",
        "openclaw:ami": "ami-0123456789abcdef0",
        "openclaw:backup_bucket_name": "my-openclaw-backups",
        "openclaw:data_device_name": "/dev/sdg",
        "openclaw:data_volume_size_gib": "40",
        "openclaw:snapshot_schedule_interval_hours": "6",
        "openclaw:snapshot_schedule_time": "01:30",
        "openclaw:snapshot_retention_days": "14",
        "openclaw:log_retention_days": "90",
      },
    });
    const instance = find(run, "aws:ec2/instance:Instance");
    expect(instance.inputs).toMatchObject({ ami: "ami-0123456789abcdef0", instanceType: "t3.small" });
    expect(instance.options.ignoreChanges).toBeUndefined();
    expect(find(run, "aws:s3/bucket:Bucket").inputs.bucket).toBe("my-openclaw-backups");
    expect(find(run, "aws:ec2/volumeAttachment:VolumeAttachment").inputs.deviceName).toBe("/dev/sdg");
    expect(find(run, "aws:ebs/volume:Volume").inputs.size).toBe(40);
    expect(find(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy").inputs.policyDetails).toMatchObject({
      schedules: [
        {
          createRule: { interval: 6, times: "01:30" },
          retainRule: { interval: 14, intervalUnit: "DAYS" },
        },
      ],
    });
    expect(find(run, "aws:cloudwatch/logGroup:LogGroup", "openclaw-boot").inputs.retentionInDays).toBe(90);
  });

  it("looks up the latest Amazon Linux 2023 for the instance type's architecture", async () => {
    const arm = await runStack();
    const x86 = await runStack({ config: { "openclaw:instance_type": "t3.small" } });
    expect(arm.placeholders.join("\n")).toContain("arm64");
    expect(x86.placeholders.join("\n")).toContain("x86_64");
    expect(find(arm, "aws:ec2/instance:Instance").inputs.ami).not.toBe(find(x86, "aws:ec2/instance:Instance").inputs.ami);
  });
});

describe("persistence: ephemeral", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack({ config: { "openclaw:persistence": "ephemeral" } });
  });
  const types = () => run.resources.map((r) => r.type);
  const json = (value: unknown) =>
    (typeof value === "string" ? JSON.parse(value) : value) as { Statement: { Sid: string; Resource: string | string[] }[] };

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("./__approved__/stack-ephemeral.approved.json");
  });

  it("creates no data volume, attachment, DLM role or policy, and no backup bucket", () => {
    for (const type of ["aws:ebs/volume:Volume", "aws:ec2/volumeAttachment:VolumeAttachment", "aws:dlm/lifecyclePolicy:LifecyclePolicy"]) {
      expect(types()).not.toContain(type);
    }
    expect(types().filter((t) => t.startsWith("aws:s3/"))).toEqual([]);
    expect(run.resources.filter((r) => r.name === "openclaw-dlm")).toEqual([]);
    // Still there: the instance, its role, the secrets key, the log groups and the network.
    find(run, "aws:ec2/instance:Instance");
    find(run, "aws:kms/key:Key");
    expect(types().filter((t) => t === "aws:cloudwatch/logGroup:LogGroup")).toHaveLength(3);
  });

  it("exports persistence and none of the outputs an ephemeral stack has no resource for", () => {
    expect(run.outputs.persistence).toBe("ephemeral");
    for (const output of ABSENT_WHEN_EPHEMERAL) expect(run.outputs).not.toHaveProperty(output);
    expect(Object.keys(run.outputs).sort()).toEqual(
      Object.values(OUTPUTS).filter((o) => !(ABSENT_WHEN_EPHEMERAL as readonly string[]).includes(o)).sort(),
    );
  });

  it("grants the instance and the S3 endpoint nothing on a backup bucket", () => {
    const policy = json(find(run, "aws:iam/rolePolicy:RolePolicy", "openclaw-instance").inputs.policy);
    expect(policy.Statement.map((s) => s.Sid)).not.toContain("ReadWriteBackupPrefix");
    expect(JSON.stringify(policy)).not.toContain("s3:");
    const endpoint = json(find(run, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs.policy);
    expect(endpoint.Statement.map((s) => s.Sid)).toEqual(["AwsOwnedPackageBuckets"]);
  });

  it("boots the instance once its network, role policy and log groups are in place", () => {
    const dependsOn = find(run, "aws:ec2/instance:Instance").options.dependsOn ?? [];
    expect(dependsOn).toContain("aws:iam/rolePolicy:RolePolicy::openclaw-instance");
    expect(dependsOn.filter((d: string) => d.includes("s3"))).toEqual(["aws:ec2/vpcEndpoint:VpcEndpoint::openclaw-s3"]);
  });

  it("exports persistence: snapshots by default", async () => {
    expect((await runStack()).outputs.persistence).toBe("snapshots");
  });
});
