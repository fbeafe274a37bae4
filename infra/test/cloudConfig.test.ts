// The user-data rendered from the real cloud-init/ folder, approved and checked by cloud-init itself.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadManifest } from "../src/cloudInit/manifest";
import { PLACEHOLDERS } from "../src/cloudInit/template";
import { CLOUD_INIT_DIR } from "../src/main";
import { OfflineRun } from "../src/offline/run";
import { USER_DATA_LIMIT_BYTES } from "../src/userData";
import { runStack } from "./support/stacks";

const CLOUD_INIT = "/usr/bin/cloud-init";
const hasCloudInit = fs.existsSync(CLOUD_INIT);
const skipReason = `${CLOUD_INIT} is not installed (Debian package cloud-init): cloud-init schema checks skipped`;
if (!hasCloudInit) console.warn(skipReason);

function schemaCheck(text: string): { status: number | null; output: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-user-data-")), "user-data.yaml");
  fs.writeFileSync(file, text);
  const result = spawnSync(CLOUD_INIT, ["schema", "--config-file", file], { encoding: "utf8" });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Top-level keys cloud-init knows; `cloud-init schema` silently ignores the others. */
function knownTopLevelKeys(): string[] {
  const python = fs.readFileSync(CLOUD_INIT, "utf8").split("\n")[0].replace(/^#!\s*/, "").split(" ")[0];
  const script = [
    "import json",
    "from cloudinit.config.schema import get_schema",
    "s = get_schema()",
    "keys = set(s.get('properties', {}))",
    "for ref in s.get('allOf', []):",
    "    keys |= set(s['$defs'][ref['$ref'].split('/')[-1]].get('properties', {}))",
    "print(json.dumps(sorted(keys)))",
  ].join("\n");
  const result = spawnSync(python, ["-c", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`reading the cloud-init schema failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** The program bash parses from a script, comments and blank lines aside (`bash --pretty-print`, bash >= 5.1). */
function bashProgram(script: string): string {
  const result = spawnSync("bash", ["--pretty-print"], { input: script, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`bash could not parse the script: ${result.stderr}`);
  return result.stdout.split("\n").filter((line) => line.trim() !== "").join("\n");
}

/** What systemd reads from a unit: section headers and directives (it ignores lines starting with # or ;). */
const unitDirectives = (unit: string) =>
  unit.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !/^[#;]/.test(line));

describe("user-data from cloud-init/", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack({ cloudInitDir: CLOUD_INIT_DIR });
  });

  it("matches the approved user-data", async () => {
    await expect(run.userData.text).toMatchFileSnapshot("./__approved__/user-data.approved.yaml");
  });

  it("has the instance's AWS CLI retry throttling like the runbook (standard mode, 10 attempts)", () => {
    const written = parse(run.userData.text).write_files as { path: string; content: string }[];
    const env = written.find((f) => f.path === "/etc/openclaw/openclaw.env")!.content;
    expect(env).toMatch(/^AWS_RETRY_MODE=standard$/m);
    expect(env).toMatch(/^AWS_MAX_ATTEMPTS=10$/m);
  });

  it("fits the EC2 limit as delivered, and unpacks to the document", () => {
    const { delivery } = run.userData;
    expect(delivery.bytes).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
    const raw = Buffer.from(delivery.base64, "base64");
    const text = delivery.encoding === "gzip" ? Buffer.from(gunzipSync(raw)).toString("utf8") : raw.toString("utf8");
    expect(text).toBe(run.userData.text);
  });

  it("writes every manifest file: non-templates unchanged, scripts as the same program bash parses from the source", () => {
    const manifest = loadManifest(CLOUD_INIT_DIR);
    const written = parse(run.userData.text).write_files as { path: string; content: string }[];
    expect(written.map((f) => f.path)).toEqual(manifest.files.map((f) => f.path));
    for (const file of manifest.files.filter((f) => !f.template)) {
      const content = written.find((w) => w.path === file.path)!.content;
      const source = fs.readFileSync(path.join(CLOUD_INIT_DIR, file.source), "utf8");
      if (file.source.startsWith("scripts/")) {
        expect(content.length, file.source).toBeLessThan(source.length);
        expect(bashProgram(content), file.source).toBe(bashProgram(source));
      } else if (file.source.startsWith("systemd/")) {
        expect(unitDirectives(content), file.source).toEqual(unitDirectives(source));
      } else {
        expect(content, file.source).toBe(source);
      }
    }
    // A placeholder left in the output means a file that should have been marked `template: true`.
    expect(run.userData.text).not.toMatch(new RegExp(`\\{\\{\\s*(${PLACEHOLDERS.join("|")})\\s*\\}\\}`));
  });

  it.skipIf(!hasCloudInit)("is valid per cloud-init schema", () => {
    const { status, output } = schemaCheck(run.userData.text);
    expect(output).toContain("Valid cloud-config");
    expect(status).toBe(0);
  });

  it.skipIf(!hasCloudInit)("uses only top-level keys cloud-init knows", () => {
    const known = knownTopLevelKeys();
    expect(known).toContain("write_files");
    const used = Object.keys(parse(run.userData.text));
    expect(used.filter((key) => !known.includes(key))).toEqual([]);
  });

  it.skipIf(!hasCloudInit)("the schema check catches an invalid document (the check itself)", () => {
    const { status, output } = schemaCheck("#cloud-config\nwrite_files:\n  - path: /a\n    encoding: zip\n");
    expect(status).not.toBe(0);
    expect(output).toContain("write_files.0.encoding");
  });
});

describe("user-data from cloud-init/ with persistence: ephemeral", () => {
  let run: OfflineRun;
  let snapshots: OfflineRun;
  beforeAll(async () => {
    [run, snapshots] = await Promise.all([
      runStack({ cloudInitDir: CLOUD_INIT_DIR, config: { "openclaw:persistence": "ephemeral" } }),
      runStack({ cloudInitDir: CLOUD_INIT_DIR }),
    ]);
  });
  const written = (r: OfflineRun) => parse(r.userData.text).write_files as { path: string; content: string }[];
  const paths = (r: OfflineRun) => written(r).map((f) => f.path);

  it("matches the approved user-data", async () => {
    await expect(run.userData.text).toMatchFileSnapshot("./__approved__/user-data-ephemeral.approved.yaml");
  });

  it("writes every entry without modes and none marked snapshots: nothing mounts, restores or backs up", () => {
    const manifest = loadManifest(CLOUD_INIT_DIR);
    expect(paths(run)).toEqual(manifest.files.filter((f) => f.modes === undefined || f.modes.includes("ephemeral")).map((f) => f.path));
    for (const gone of ["mount-data-volume.sh", "restore.sh", "backup.sh", "openclaw-mount.service", "openclaw-backup.timer", "data-volume.conf"]) {
      expect(paths(run).filter((p) => p.endsWith(gone)), gone).toEqual([]);
      expect(paths(snapshots).filter((p) => p.endsWith(gone)), gone).toHaveLength(1);
    }
    const units = run.userData.text;
    expect(units).not.toMatch(/openclaw-(mount|restore|backup|final-backup)\.(service|timer)[,\]]/);
  });

  it("the gateway unit waits for no device; the settings name the mode and no volume or bucket", () => {
    const gateway = written(run).find((f) => f.path === "/etc/systemd/system/openclaw.service")!.content;
    expect(gateway).toContain("Requires=docker.service\n");
    expect(gateway).not.toContain("openclaw-mount");
    const env = written(run).find((f) => f.path === "/etc/openclaw/openclaw.env")!.content;
    expect(env).toContain("OPENCLAW_PERSISTENCE=ephemeral\n");
    expect(env).toContain("OPENCLAW_DATA_VOLUME_ID=none\n");
    expect(env).toContain("OPENCLAW_BACKUP_BUCKET=none\n");
    expect(env).toContain("OPENCLAW_MOUNT_POINT=/opt/openclaw\n");
  });

  it("is smaller than the snapshots rendering and fits the EC2 limit", () => {
    expect(run.userData.delivery.bytes).toBeLessThan(snapshots.userData.delivery.bytes);
    expect(run.userData.delivery.bytes).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
  });

  it.skipIf(!hasCloudInit)("is valid per cloud-init schema", () => {
    const { status, output } = schemaCheck(run.userData.text);
    expect(output).toContain("Valid cloud-config");
    expect(status).toBe(0);
  });
});
