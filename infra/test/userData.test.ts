import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compact, compacts } from "../src/cloudInit/compact";
import { ManifestError } from "../src/cloudInit/manifest";
import { PLACEHOLDERS, PlaceholderValues, TemplateError } from "../src/cloudInit/template";
import { prepareUserData, USER_DATA_LIMIT_BYTES, UserDataError } from "../src/userData";
import { failStack, FIXTURE_CLOUD_INIT } from "./support/stacks";

const VALUES: PlaceholderValues = {
  stack: "dev",
  region: "me-central-1",
  data_volume_id: "vol-0123456789abcdef0",
  data_device_name: "/dev/sdf",
  mount_point: "/opt/openclaw",
  backup_bucket: "openclaw-dev-backups",
  backup_prefix: "dev/",
  backup_interval_minutes: "20",
  openclaw_image: "ghcr.io/openclaw/openclaw:latest",
  ssm_env_parameter: "/openclaw/dev/env",
  log_group_prefix: "/openclaw/dev",
  auto_approve_devices: "false",
  persistence: "snapshots",
  gateway_port: "18789",
};

const tempDirs: string[] = [];
afterEach(() => tempDirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A cloud-init folder with the given files (manifest.yaml included). */
function cloudInitDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-cloud-init-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const manifestWith = (files: string, extra = "") => `files:\n${files}\n${extra}`;
const fileEntry = (source: string, target: string, template = false, permissions = '"0644"') =>
  `  - source: ${source}\n    path: ${target}\n    permissions: ${permissions}\n    template: ${template}`;

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("user-data from the fixture cloud-init folder", () => {
  const rendered = prepareUserData(FIXTURE_CLOUD_INIT).render(VALUES);
  const doc = parse(rendered.text);

  it("is a #cloud-config with the manifest's packages, files and commands", () => {
    expect(rendered.text.startsWith("#cloud-config\n")).toBe(true);
    expect(Object.keys(doc)).toEqual(["packages", "write_files", "runcmd"]);
    expect(doc.packages).toEqual(["docker", "jq"]);
    expect(doc.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "openclaw-backup.timer"],
    ]);
    expect(doc.write_files.map((f: { path: string; permissions: string; owner: string }) => [f.path, f.permissions, f.owner])).toEqual([
      ["/etc/openclaw/openclaw.env", "0644", "root:root"],
      ["/usr/local/lib/openclaw/status.sh", "0755", "root:root"],
      ["/etc/systemd/system/openclaw-backup.timer", "0644", "root:root"],
    ]);
  });

  it("fills every placeholder of a template", () => {
    const env = doc.write_files[0].content as string;
    expect(env).toContain("OPENCLAW_DATA_VOLUME_ID=vol-0123456789abcdef0\n");
    expect(env).toContain("OPENCLAW_BACKUP_PREFIX=dev/\n");
    expect(env).toContain("OPENCLAW_LOG_GROUP_PREFIX=/openclaw/dev\n");
    expect(env).not.toContain("{{");
    expect(doc.write_files[2].content).toContain("OnUnitActiveSec=20min");
  });

  it("copies a non-template file unfilled, braces included, a script without its comment lines", () => {
    const source = fs.readFileSync(path.join(FIXTURE_CLOUD_INIT, "scripts/status.sh"), "utf8");
    expect(source).toContain("# Not a template");
    expect(doc.write_files[1].content).toBe(source.replace(/^# Not a template.*\n/m, ""));
    expect(doc.write_files[1].content).toContain("{{.Names}}");
  });

  it("sends small user-data as plain text", () => {
    expect(rendered.delivery.encoding).toBe("text");
    expect(Buffer.from(rendered.delivery.base64, "base64").toString("utf8")).toBe(rendered.text);
    expect(rendered.bytes).toBe(Buffer.byteLength(rendered.text));
  });
});

describe("persistence modes (manifest entries with modes:)", () => {
  const template = prepareUserData(FIXTURE_CLOUD_INIT);

  it("writes an entry marked modes: [snapshots] in that mode only", () => {
    const ephemeral = parse(template.render({ ...VALUES, persistence: "ephemeral", data_volume_id: "none" }).text);
    expect(ephemeral.write_files.map((f: { path: string }) => f.path)).toEqual([
      "/etc/openclaw/openclaw.env",
      "/usr/local/lib/openclaw/status.sh",
    ]);
    expect(ephemeral.runcmd).toEqual([["systemctl", "daemon-reload"]]);
    expect(ephemeral.write_files[0].content).toContain("OPENCLAW_PERSISTENCE=ephemeral\n");
    const snapshots = parse(template.render(VALUES).text);
    expect(snapshots.write_files).toHaveLength(3);
    expect(snapshots.runcmd).toHaveLength(2);
  });

  it.each([
    ["an unknown mode", `${fileEntry("a", "/a")}\n    modes: [retained]`, "files[0].modes: expected a list of persistence modes (snapshots, ephemeral)"],
    ["an empty mode list", `${fileEntry("a", "/a")}\n    modes: []`, "files[0].modes: expected a list of persistence modes"],
  ])("rejects %s", (_, files, problem) => {
    const dir = cloudInitDir({ "manifest.yaml": manifestWith(files), a: "x\n" });
    expect(errorOf(() => prepareUserData(dir)).message).toContain(problem);
  });

  it("rejects a runcmd mapping without a command or with an unknown key", () => {
    const bad = "runcmd:\n  - modes: [snapshots]\n  - command: [echo]\n    when: always";
    const dir = cloudInitDir({ "manifest.yaml": manifestWith(fileEntry("a", "/a"), bad), a: "x\n" });
    const message = errorOf(() => prepareUserData(dir)).message;
    expect(message).toContain("(runcmd[0])");
    expect(message).toContain('runcmd[1]: unknown key "when"');
  });
});

describe("compacting scripts and units", () => {
  it("keeps the shebang and every command, drops comment and blank lines", () => {
    const script = '#!/usr/bin/env bash\n# why\n\nset -eu\n  # indented note\necho "a # b" ${#x} # trailing\n';
    expect(compact(script)).toBe('#!/usr/bin/env bash\nset -eu\necho "a # b" ${#x} # trailing\n');
  });

  it("applies to scripts/ and systemd/ only", () => {
    expect(["scripts/a.sh", "systemd/a.service", "compose/docker-compose.yaml", "config/openclaw.env"].filter(compacts))
      .toEqual(["scripts/a.sh", "systemd/a.service"]);
  });
});

describe("templates", () => {
  it("rejects an unknown placeholder before rendering, naming file, placeholder and accepted names", () => {
    const dir = cloudInitDir({
      "manifest.yaml": manifestWith(fileEntry("a.env", "/etc/a.env", true)),
      "a.env": "A={{stack}}\nB={{bucket_name}}\n",
    });
    const error = errorOf(() => prepareUserData(dir));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toContain("a.env: unknown placeholder {{bucket_name}}");
    expect(error.message).toContain(PLACEHOLDERS.join(", "));
  });

  it("rejects a placeholder without a value", () => {
    const dir = cloudInitDir({
      "manifest.yaml": manifestWith(fileEntry("a.env", "/etc/a.env", true)),
      "a.env": "IMAGE={{openclaw_image}}\n",
    });
    const error = errorOf(() => prepareUserData(dir).render({ ...VALUES, openclaw_image: "" }));
    expect(error.message).toBe("a.env: placeholder {{openclaw_image}} has no value");
  });

  it("accepts spaces inside the braces", () => {
    const dir = cloudInitDir({
      "manifest.yaml": manifestWith(fileEntry("a.env", "/etc/a.env", true)),
      "a.env": "REGION={{ region }}\n",
    });
    expect(prepareUserData(dir).render(VALUES).text).toContain("REGION=me-central-1");
  });
});

describe("manifest", () => {
  it.each([
    ["an unknown top-level key", manifestWith(fileEntry("a", "/a"), "bootcmd: []"), 'unknown key "bootcmd"'],
    ["a missing source", manifestWith(fileEntry("missing.sh", "/a")), "files[0].source: missing.sh does not exist"],
    ["a source outside the folder", manifestWith(fileEntry("../a", "/a")), "files[0].source: expected a path inside"],
    ["a relative target", manifestWith(fileEntry("a", "etc/a")), "files[0].path: expected an absolute path"],
    ["unquoted permissions", manifestWith(fileEntry("a", "/a", false, "0644")), "files[0].permissions: expected an octal string"],
    ["a target written twice", manifestWith(`${fileEntry("a", "/a")}\n${fileEntry("a", "/a")}`), "files: /a is written more than once"],
    ["a runcmd string", manifestWith(fileEntry("a", "/a"), "runcmd: [systemctl daemon-reload]"), "runcmd: expected a list of commands"],
    ["an unknown file key", manifestWith(`${fileEntry("a", "/a")}\n    mode: "0644"`), 'files[0]: unknown key "mode"'],
  ])("rejects %s", (_, manifest, problem) => {
    const dir = cloudInitDir({ "manifest.yaml": manifest, a: "x\n" });
    const error = errorOf(() => prepareUserData(dir));
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.message).toContain(path.join(dir, "manifest.yaml"));
    expect(error.message).toContain(problem);
  });

  it("rejects a missing manifest", () => {
    const error = errorOf(() => prepareUserData(cloudInitDir({})));
    expect(error.message).toContain("manifest.yaml is not a valid cloud-init manifest");
    expect(error.message).toContain("the file does not exist");
  });

  it("fails the program before any resource is registered", async () => {
    const dir = cloudInitDir({ "manifest.yaml": manifestWith(fileEntry("missing.sh", "/a")) });
    const failure = await failStack({ cloudInitDir: dir });
    expect(failure.cause).toBeInstanceOf(ManifestError);
    expect(failure.registered).toEqual([]);
  });
});

describe("size", () => {
  const script = (lines: number) =>
    Array.from({ length: lines }, (_, i) => `echo "step ${i}: configuring the OpenClaw gateway"`).join("\n") + "\n";

  it("gzips the whole document when it is over the EC2 limit, reproducibly", () => {
    const dir = cloudInitDir({
      "manifest.yaml": manifestWith(fileEntry("big.sh", "/usr/local/bin/big.sh")),
      "big.sh": script(800),
    });
    const rendered = prepareUserData(dir).render(VALUES);
    expect(rendered.bytes).toBeGreaterThan(USER_DATA_LIMIT_BYTES);
    expect(rendered.delivery.encoding).toBe("gzip");
    expect(rendered.delivery.bytes).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
    const gz = Buffer.from(rendered.delivery.base64, "base64");
    expect(gz.length).toBe(rendered.delivery.bytes);
    expect(Buffer.from(gunzipSync(gz)).toString("utf8")).toBe(rendered.text);
    expect(prepareUserData(dir).render(VALUES).delivery.base64).toBe(rendered.delivery.base64);
  });

  it("fails when even the gzipped document is too large, naming the largest files", () => {
    const dir = cloudInitDir({
      "manifest.yaml": manifestWith(`${fileEntry("noise", "/opt/noise")}\n${fileEntry("small", "/opt/small")}`),
      noise: crypto.randomBytes(20_000).toString("base64"),
      small: "x\n",
    });
    const error = errorOf(() => prepareUserData(dir).render(VALUES));
    expect(error).toBeInstanceOf(UserDataError);
    expect(error.message).toMatch(/rendered user-data is \d+ bytes, \d+ gzipped; EC2 accepts 16384/);
    expect(error.message).toContain("Largest files: noise (26668 bytes), small (2 bytes)");
  });
});
