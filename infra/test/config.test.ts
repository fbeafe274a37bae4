import { describe, expect, it } from "vitest";
import { architectureOf, CONFIG_KEYS, ConfigError, ConfigKey, ConfigSource, DEFAULTS, parseSettings } from "../src/config";
import { failStack, runStack } from "./support/stacks";

const source = (values: Record<string, string>, region: string | undefined) => ({
  stack: "dev",
  region,
  values: { availability_zone: "me-central-1a", ...values },
});

function problemsIn(configSource: ConfigSource): string[] {
  try {
    parseSettings(configSource);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const problemsOf = (values: Record<string, string>, region: string | undefined = "me-central-1") =>
  problemsIn(source(values, region));

/** Invalid values per key, with a fragment of the accepted values the message must name. */
const INVALID: { key: ConfigKey; values: string[]; accepted: string }[] = [
  { key: "availability_zone", values: ["me-central-1", "us-east-1a", "me-central-1ab"], accepted: "me-central-1a" },
  { key: "instance_type", values: ["t4g_small", "T4G.SMALL", "t4g."], accepted: "t4g.small" },
  { key: "data_volume_snapshot_id", values: ["snap-123", "vol-0123456789abcdef0"], accepted: "snap- followed by" },
  { key: "data_volume_size_gib", values: ["0", "16385", "20.5", "twenty"], accepted: "an integer from 1 to 16384" },
  { key: "data_device_name", values: ["/dev/sda1", "/dev/sdz", "/dev/nvme1n1"], accepted: "/dev/sdf through /dev/sdp" },
  { key: "ami", values: ["ami-xyz", "ami-0123"], accepted: "ami- followed by 8 or 17 hex digits" },
  { key: "snapshot_schedule_interval_hours", values: ["5", "48", "0"], accepted: "one of 1, 2, 3, 4, 6, 8, 12, 24" },
  { key: "snapshot_schedule_time", values: ["3:00", "24:00", "03:60", "noon"], accepted: "HH:MM in UTC" },
  { key: "snapshot_retention_days", values: ["0", "3651", "-1"], accepted: "an integer from 1 to 3650" },
  {
    key: "backup_bucket_name",
    values: ["My_Bucket", "ab", "bucket..name", "192.168.1.1", "-bucket", "xn--bucket"],
    accepted: "3-63 characters of a-z, 0-9",
  },
  { key: "backup_interval_minutes", values: ["4", "60", "25", "20m"], accepted: "one of 5, 6, 10, 12, 15, 20, 30" },
  {
    key: "openclaw_image",
    values: ["ghcr.io/openclaw/openclaw latest", "Ghcr.io/openclaw", 'image"; rm -rf /', "image:"],
    accepted: "a container image reference",
  },
  {
    key: "ssm_env_parameter",
    values: ["openclaw/dev/env", "/aws/openclaw", "/openclaw/dev env", "/ssm/x"],
    accepted: "an SSM parameter name starting with '/'",
  },
  { key: "log_retention_days", values: ["2", "10000", "forever"], accepted: "one of 1, 3, 5, 7, 14, 30" },
  { key: "auto_approve_devices", values: ["yes", "1", "TRUE", ""], accepted: "true or false" },
  { key: "kms_key", values: ["none", "aws", "alias/aws/ssm", "Stack"], accepted: "stack or aws-managed" },
  // --- observe-infra ---
  { key: "alert_email", values: ["ops", "ops@", "@example.com", "ops@example", "a b@example.com", "ops@exa_mple.com"], accepted: "an e-mail address" },
  { key: "alarm_disk_used_percent", values: ["0", "101", "80.5", "80%", "-1"], accepted: "an integer from 1 to 100" },
  { key: "alarm_memory_used_percent", values: ["0", "101", "ninety"], accepted: "an integer from 1 to 100" },
  // --- end observe-infra ---
  // --- retain ---
  { key: "data_volume_retain_on_destroy", values: ["yes", "1", "True"], accepted: "true or false" },
  { key: "data_volume_id", values: ["vol-123", "snap-0123456789abcdef0", "vol-0123456789ABCDEF0"], accepted: "vol- followed by 8 or 17 hex digits" },
  // --- end retain ---
  { key: "persistence", values: ["retained", "Ephemeral", "none", ""], accepted: "snapshots or ephemeral" },
  // --- move (issue 16) ---
  { key: "dr_region", values: ["eu-central", "EU-CENTRAL-1", "eu-central-1a"], accepted: "an AWS region such as eu-central-1, other than aws:region" },
  { key: "dr_retention_days", values: ["0", "3651", "1w"], accepted: "an integer from 1 to 3650" },
  // --- platfix ---
  { key: "permissions_boundary", values: ["", "arn:aws:iam::123456789012:policy/x", "a b", "x".repeat(129)], accepted: "a managed policy name in the stack's account" },
  // --- end platfix ---
];

describe("config", () => {
  it("defaults every optional key", () => {
    const settings = parseSettings(source({}, "me-central-1"));
    expect(settings).toEqual({
      stack: "dev",
      region: "me-central-1",
      availabilityZone: "me-central-1a",
      instanceType: DEFAULTS.instance_type,
      architecture: "arm64",
      dataVolumeSnapshotId: undefined,
      dataVolumeSizeGib: undefined,
      dataDeviceName: "/dev/sdf",
      ami: undefined,
      snapshotScheduleIntervalHours: 24,
      snapshotScheduleTime: "03:00",
      snapshotRetentionDays: 7,
      backupBucketName: undefined,
      backupIntervalMinutes: 20,
      openclawImage: "ghcr.io/openclaw/openclaw:latest",
      ssmEnvParameter: "/openclaw/dev/env",
      logRetentionDays: 30,
      autoApproveDevices: false,
      persistence: "snapshots",
      kmsKey: "stack",
      alertEmail: undefined,
      alarmDiskUsedPercent: 80,
      alarmMemoryUsedPercent: 90,
      // --- retain ---
      dataVolumeRetainOnDestroy: false,
      dataVolumeId: undefined,
      // --- end retain ---
      drRegion: undefined,
      drRetentionDays: 7,
      permissionsBoundary: "openclaw-stack-boundary",
    });
  });

  it("takes persistence: ephemeral, and refuses it beside a snapshot to restore", () => {
    expect(parseSettings(source({ persistence: "ephemeral" }, "me-central-1")).persistence).toBe("ephemeral");
    expect(problemsOf({ persistence: "ephemeral", data_volume_snapshot_id: "snap-0123456789abcdef0" })).toEqual([
      "openclaw:data_volume_snapshot_id restores a data volume, and openclaw:persistence: ephemeral has none; remove one (pulumi config rm <key>)",
    ]);
  });

  it("refuses persistence: ephemeral beside a volume to adopt or to keep", () => {
    expect(problemsOf({ persistence: "ephemeral", data_volume_id: "vol-0123456789abcdef0" })).toEqual([
      "openclaw:data_volume_id adopts a data volume, and openclaw:persistence: ephemeral has none; remove one (pulumi config rm <key>)",
    ]);
    expect(problemsOf({ persistence: "ephemeral", data_volume_retain_on_destroy: "true" })).toEqual([
      "openclaw:data_volume_retain_on_destroy keeps the data volume, and openclaw:persistence: ephemeral has none; remove one (pulumi config rm <key>)",
    ]);
    expect(problemsOf({ persistence: "ephemeral", dr_region: "eu-west-1" })).toEqual([
      "openclaw:dr_region copies the data volume's snapshots, and openclaw:persistence: ephemeral has none; remove one (pulumi config rm <key>)",
    ]);
    expect(parseSettings(source({ persistence: "ephemeral", data_volume_retain_on_destroy: "false" }, "me-central-1")).persistence).toBe(
      "ephemeral",
    );
  });

  it("takes valid values of every key", () => {
    const settings = parseSettings(
      source(
        {
        availability_zone: "me-central-1b",
        instance_type: "t3.medium",
        data_volume_snapshot_id: "snap-0123456789abcdef0",
        data_volume_size_gib: "50",
        data_device_name: "/dev/xvdg",
        ami: "ami-0123456789abcdef0",
        snapshot_schedule_interval_hours: "12",
        snapshot_schedule_time: "23:59",
        snapshot_retention_days: "30",
        backup_bucket_name: "my.openclaw-backups",
        backup_interval_minutes: "30",
        openclaw_image: "123456789012.dkr.ecr.me-central-1.amazonaws.com/openclaw:2026.1.1",
        ssm_env_parameter: "/apps/openclaw.prod/env",
        log_retention_days: "365",
        auto_approve_devices: "true",
        kms_key: "aws-managed",
        alert_email: "ops+openclaw@example.co.uk",
        alarm_disk_used_percent: "100",
        alarm_memory_used_percent: "1",
        dr_region: "eu-central-1",
        dr_retention_days: "30",
        permissions_boundary: "none",
        },
        "me-central-1",
      ),
    );
    expect(settings).toMatchObject({
      availabilityZone: "me-central-1b",
      instanceType: "t3.medium",
      architecture: "x86_64",
      dataVolumeSnapshotId: "snap-0123456789abcdef0",
      dataVolumeSizeGib: 50,
      dataDeviceName: "/dev/xvdg",
      ami: "ami-0123456789abcdef0",
      snapshotScheduleIntervalHours: 12,
      snapshotScheduleTime: "23:59",
      snapshotRetentionDays: 30,
      backupBucketName: "my.openclaw-backups",
      backupIntervalMinutes: 30,
      ssmEnvParameter: "/apps/openclaw.prod/env",
      logRetentionDays: 365,
      autoApproveDevices: true,
      kmsKey: "aws-managed",
      alertEmail: "ops+openclaw@example.co.uk",
      alarmDiskUsedPercent: 100,
      alarmMemoryUsedPercent: 1,
      drRegion: "eu-central-1",
      drRetentionDays: 30,
      permissionsBoundary: undefined,
    });
  });

  it("has invalid-value cases for every key", () => {
    expect(INVALID.map((c) => c.key).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  describe.each(INVALID)("$key", ({ key, values, accepted }) => {
    it.each(values)("rejects %j naming the key and the accepted values", (value) => {
      const problems = problemsOf({ [key]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`openclaw:${key}`);
      expect(problems[0]).toContain(`"${value}"`);
      expect(problems[0]).toContain(accepted);
    });

    it("fails the program before any resource is registered", async () => {
      const failure = await failStack({ config: { [`openclaw:${key}`]: values[0] } });
      expect(failure.cause).toBeInstanceOf(ConfigError);
      expect(failure.message).toContain(`openclaw:${key}`);
      expect(failure.registered).toEqual([]);
    });
  });

  it("requires aws:region and availability_zone", () => {
    expect(problemsIn(source({}, undefined))).toEqual([
      "aws:region is required; accepted: an AWS region, e.g. me-central-1 (pulumi config set aws:region me-central-1)",
    ]);
    expect(problemsIn({ stack: "dev", region: "me-central-1", values: {} })).toEqual([
      "openclaw:availability_zone is required; accepted: an availability zone of aws:region me-central-1, e.g. me-central-1a",
    ]);
  });

  it("asks for backup_bucket_name when the default name would be too long, before any resource", async () => {
    const stack = "a-stack-name-long-enough-to-overflow";
    const failure = await failStack({ stack });
    expect(failure.cause).toBeInstanceOf(ConfigError);
    expect(failure.message).toContain(`openclaw:backup_bucket_name is needed: the default name "openclaw-${stack}-`);
    expect(failure.registered).toEqual([]);
    const run = await runStack({ stack, config: { "openclaw:backup_bucket_name": "my-openclaw-backups" } });
    expect(run.outputs.backup_bucket).toBe("my-openclaw-backups");
  });

  it("rejects a malformed region", () => {
    expect(problemsOf({}, "middle-east")).toEqual([
      'aws:region: got "middle-east"; accepted: an AWS region such as me-central-1',
    ]);
  });

  it("rejects unknown keys, listing the accepted ones", () => {
    const [problem] = problemsOf({ availabilityZone: "me-central-1a" });
    expect(problem).toContain("openclaw:availabilityZone is not a known key");
    expect(problem).toContain(CONFIG_KEYS.join(", "));
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({ instance_type: "x", log_retention_days: "2", backup_interval_minutes: "1" });
    expect(problems.map((p) => p.split(":")[1])).toEqual([
      "instance_type",
      "backup_interval_minutes",
      "log_retention_days",
    ]);
  });

  it.each([
    ["t4g.small", "arm64"],
    ["m7g.large", "arm64"],
    ["c7gn.xlarge", "arm64"],
    ["x2gd.medium", "arm64"],
    ["im4gn.large", "arm64"],
    ["g5g.xlarge", "arm64"],
    ["a1.medium", "arm64"],
    ["t3.small", "x86_64"],
    ["t3a.small", "x86_64"],
    ["m5.large", "x86_64"],
    ["g4dn.xlarge", "x86_64"],
    ["c6i.large", "x86_64"],
  ])("maps %s to %s", (instanceType, architecture) => {
    expect(architectureOf(instanceType)).toBe(architecture);
  });
});
