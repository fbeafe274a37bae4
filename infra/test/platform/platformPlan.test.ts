import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { operatorPolicy } from "../../src/platform/offline";

const INFRA_DIR = path.resolve(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-platform-plan-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function platformPlan(args: string[]) {
  const result = spawnSync("npm", ["--prefix", INFRA_DIR, "run", "--silent", "platform-plan", "--", ...args], { cwd: INFRA_DIR, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

describe("npm run platform-plan", () => {
  it("plans the example config: both roles with trust and policy, and the operator policy from the same source", () => {
    const out = path.join(tmp, "example");
    const result = platformPlan(["--out", out, "--iam-out", path.join(out, "iam")]);
    expect(result.status, result.stderr).toBe(0);

    const preview = readJson(path.join(out, "preview-role.json"));
    expect(preview).toMatchObject({ role: "preview", name: "openclaw-github-preview", subject: "repo:octo-org/openclaw-runbook:pull_request" });
    expect(readJson(path.join(out, "deploy-role.json")).subject).toBe("repo:octo-org/openclaw-runbook:environment:production");
    const operator = { Version: "2012-10-17", Statement: fs.readdirSync(path.join(out, "iam")).sort((a, b) => a.length - b.length || a.localeCompare(b)).flatMap((f) => readJson(path.join(out, "iam", f)).Statement) };
    const keyId = /^awskms:\/\/([^?]+)/.exec(readJson(path.join(out, "resources.json")).outputs.secrets_provider)![1];
    expect(operator).toEqual(operatorPolicy(["dev"], { bucket: "pulumi-state-openclaw-123456789012-me-central-1", keyArn: `arn:aws:kms:*:*:key/${keyId}` }));
    expect(result.stdout).toMatch(/Role openclaw-github-deploy \(deploy\): trusted only for sub repo:octo-org\/openclaw-runbook:environment:production\n {2}policy: \d+ statements in \d+ managed polic(y|ies) \([\d, ]+ of 6144 characters\)/);
    expect(result.stdout).toMatch(/Operator policy: \d+ statements in \d managed polic(y|ies) \([\d, ]+ of 6144 characters/);
  });

  it("fails with one sentence and writes nothing when the config is incomplete", () => {
    const config = path.join(tmp, "Pulumi.bad.yaml");
    fs.writeFileSync(config, "config:\n  aws:region: me-central-1\n");
    const out = path.join(tmp, "bad");
    const result = platformPlan(["--config", config, "--out", out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("openclaw-platform:github_repo is required");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses more stacks than a role's managed policies can hold", () => {
    const config = path.join(tmp, "Pulumi.many.yaml");
    const stacks = Array.from({ length: 120 }, (_, i) => `stack${i}`).join(",");
    fs.writeFileSync(config, `config:\n  aws:region: me-central-1\n  openclaw-platform:github_repo: octo-org/x\n  openclaw-platform:stacks: ${stacks}\n`);
    const result = platformPlan(["--config", config, "--out", path.join(tmp, "many")]);
    expect(result.status).toBe(1);
    expect(fs.existsSync(path.join(tmp, "many"))).toBe(false);
    expect(result.stderr).toMatch(/openclaw-github-deploy's policy needs \d+ managed policies \(IAM attaches 10 to a role\): serve fewer stacks/);
  });
});
