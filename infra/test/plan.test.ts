import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURE_CLOUD_INIT, SNAPSHOT_ID } from "./support/stacks";

const INFRA_DIR = path.resolve(__dirname, "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `npm run plan -- <args>` as the build runs it, from `cwd`. */
function plan(args: string[], cwd = INFRA_DIR) {
  const windows = process.platform === "win32";
  const result = spawnSync(windows ? "npm.cmd" : "npm", ["--prefix", INFRA_DIR, "run", "--silent", "plan", "--", ...args], {
    cwd,
    encoding: "utf8",
    shell: windows,
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

describe("npm run plan", () => {
  it("plans a restore config for a named stack and summarises it", () => {
    const config = path.join(tmp, "Pulumi.restore.yaml");
    fs.writeFileSync(
      config,
      [
        "config:",
        "  aws:region: eu-west-1",
        "  openclaw:availability_zone: eu-west-1b",
        `  openclaw:data_volume_snapshot_id: ${SNAPSHOT_ID}`,
        "  instance_type: t3.small", // project namespace implied, as the Pulumi CLI allows
        "  openclaw:backup_interval_minutes: 30",
      ].join("\n"),
    );
    const out = path.join(tmp, "restore");
    const result = plan(["--config", config, "--stack", "restore", "--out", out, "--cloud-init", FIXTURE_CLOUD_INIT]);
    expect(result.status, result.stderr).toBe(0);

    const report = readJson(path.join(out, "resources.json"));
    expect(report.stack).toBe("restore");
    expect(report.outputs).toMatchObject({ stack: "restore", region: "eu-west-1", availability_zone: "eu-west-1b" });
    const volume = report.resources.find((r: { type: string }) => r.type === "aws:ebs/volume:Volume");
    expect(volume.inputs).toMatchObject({ snapshotId: SNAPSHOT_ID, availabilityZone: "eu-west-1b" });
    expect(report.resources.find((r: { type: string }) => r.type === "aws:ec2/instance:Instance").inputs.instanceType).toBe(
      "t3.small",
    );
    expect(report.placeholders.join("\n")).toContain(`snapshot ${SNAPSHOT_ID}`);

    const userData = fs.readFileSync(path.join(out, "user-data.yaml"), "utf8");
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    expect(userData).toContain("OnUnitActiveSec=30min");

    expect(result.stdout).toContain('Offline plan of stack "restore"');
    expect(result.stdout).toMatch(/Resources: 42 of 30 types/);
    // What the stack watches and whom it tells (docs/alerts.md).
    expect(result.stdout).toMatch(
      / 5 {2}aws:cloudwatch\/metricAlarm:MetricAlarm {2}openclaw-backup-missing, openclaw-disk-full, openclaw-gateway-unhealthy, openclaw-memory-high, openclaw-status-check/,
    );
    expect(result.stdout).toMatch(/ 3 {2}aws:cloudwatch\/eventRule:EventRule {2}openclaw-rebalance, openclaw-snapshot-failed, openclaw-spot-interruption/);
    expect(result.stdout).toMatch(/ 1 {2}aws:sns\/topic:Topic {2}openclaw-alerts/);
    expect(result.stdout).toMatch(/ 1 {2}aws:cloudwatch\/dashboard:Dashboard {2}openclaw/);
    expect(result.stdout).toContain('alert_topic_arn: "arn:aws:sns:eu-west-1:123456789012:openclaw-restore-alerts"');
    expect(result.stdout).toMatch(/ 3 {2}aws:cloudwatch\/logGroup:LogGroup {2}openclaw-backup, openclaw-boot, openclaw-openclaw/);
    expect(result.stdout).toMatch(/User-data: \d+ bytes of #cloud-config, sent as is to EC2 \(limit 16384\); 3 files/);
    expect(result.stdout).toContain("/usr/local/lib/openclaw/status.sh");
    expect(result.stdout).toContain("Placeholders (made up offline, not real AWS values):");
    expect(result.stdout).toContain("account id 123456789012");
  });

  it("defaults to Pulumi.example.yaml, stack dev and the real cloud-init folder; --out is relative to the caller", () => {
    const result = plan(["--out", "artifacts/plan"], tmp);
    expect(result.status, result.stderr).toBe(0);
    const report = readJson(path.join(tmp, "artifacts/plan/resources.json"));
    expect(report.stack).toBe("dev");
    expect(report.configFile).toBe(path.join(INFRA_DIR, "Pulumi.example.yaml"));
    expect(report.outputs.availability_zone).toBe("me-central-1a");
    expect(fs.readFileSync(path.join(tmp, "artifacts/plan/user-data.yaml"), "utf8")).toContain("/etc/openclaw/openclaw.env");
  });

  it("fails with the config problem and writes nothing", () => {
    const config = path.join(tmp, "Pulumi.bad.yaml");
    fs.writeFileSync(config, "config:\n  aws:region: me-central-1\n  openclaw:availability_zone: me-central-1a\n  openclaw:log_retention_days: 2\n");
    const out = path.join(tmp, "bad");
    const result = plan(["--config", config, "--out", out, "--cloud-init", FIXTURE_CLOUD_INIT]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('openclaw:log_retention_days: got "2"; accepted: one of 1, 3, 5, 7');
    expect(fs.existsSync(out)).toBe(false);
  });
});
