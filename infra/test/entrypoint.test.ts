import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("loads index.ts as `pulumi preview` would, through Pulumi's TypeScript loader", () => {
  const infraDir = path.resolve(__dirname, "..");
  const result = spawnSync(process.execPath, [path.join(__dirname, "support/pulumi-entrypoint.cjs"), infraDir], {
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  expect(Object.keys(JSON.parse(result.stdout)).sort()).toEqual(
    [
      "ami_id",
      "alert_topic_arn",
      "availability_zone",
      "backup_bucket",
      "backup_interval_minutes",
      "dashboard_name",
      "data_volume_id",
      "dlm_policy_id",
      "instance_id",
      "kms_key_alias",
      "kms_key_arn",
      "log_group_names",
      "persistence",
      "region",
      "ssm_connect_command",
      "ssm_env_parameter",
      "stack",
    ].sort(),
  );
}, 60_000);
