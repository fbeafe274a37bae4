// Offline plan of the platform project: runs infra/platform under Pulumi mocks for a config file and writes
// <out>/resources.json, <out>/<role>-role.json (trust, policy, sizes) and <iam-out>/operator-policy.json.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readStackConfigFile } from "../src/offline/stackConfig";
import { PLATFORM_PROJECT } from "../src/platform/config";
import { operatorPolicy, PlatformRun, rolePolicyParts, runPlatformOffline } from "../src/platform/offline";
import { MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_LIMIT, policySize, ROLES, splitPolicy } from "../src/platform/permissions";
import { ROLE_NAMES } from "../src/platform/program";

const USAGE =
  "usage: npm run platform-plan -- [--config platform/Pulumi.<stack>.yaml] [--stack platform] [--out platform-plan-out] [--iam-out <dir>]";
const INFRA_DIR = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      stack: { type: "string", default: "platform" },
      out: { type: "string", default: "platform-plan-out" },
      "iam-out": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const configFile = values.config ? path.resolve(cwd, values.config) : path.join(INFRA_DIR, "platform", "Pulumi.example.yaml");
  const outDir = path.resolve(cwd, values.out!);
  const iamDir = values["iam-out"] ? path.resolve(cwd, values["iam-out"]) : outDir;
  const { config } = readStackConfigFile(configFile, PLATFORM_PROJECT);
  const run = await runPlatformOffline(values.stack!, config);

  const roles = ROLES.map((role) => roleReport(run, role));

  const stacks = run.outputs.stacks as string[];
  const backend = stateBackendOf(run);
  const operator = operatorPolicy(stacks, backend);
  const oversized = [
    ...roles.filter((r) => r.sizes.length > MANAGED_POLICIES_PER_ROLE).map((r) => `${r.name}'s policy needs ${r.sizes.length} managed policies (IAM attaches ${MANAGED_POLICIES_PER_ROLE} to a role)`),
  ];
  if (oversized.length > 0) throw new Error(`${oversized.join("; ")}: serve fewer stacks from one platform (openclaw-platform:stacks)`);
  // Written only once everything is known to fit.
  fs.mkdirSync(outDir, { recursive: true });
  fs.mkdirSync(iamDir, { recursive: true });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  fs.writeFileSync(path.join(outDir, "resources.json"), json({ stack: values.stack, configFile, placeholders: run.placeholders, outputs: run.outputs, resources: run.resources }));
  for (const report of roles) fs.writeFileSync(path.join(outDir, `${report.role}-role.json`), json(report));
  // A managed policy holds 6,144 characters: the operator's is split into operator-policy.json, operator-policy-2.json, ...
  const parts = splitPolicy(operator, MANAGED_POLICY_LIMIT);
  const operatorFiles = parts.map((_, i) => path.join(iamDir, i === 0 ? "operator-policy.json" : `operator-policy-${i + 1}.json`));
  parts.forEach((part, i) => fs.writeFileSync(operatorFiles[i], json(part)));
  const operatorFile = operatorFiles.join(", ");

  console.log(
    [
      `Offline plan of the platform "${values.stack}" from ${configFile} (Pulumi mocks, no AWS calls)`,
      "",
      `Resources: ${run.resources.length}`,
      ...run.resources.map((r) => `  ${r.type}  ${r.name}`),
      "",
      ...roles.flatMap((r) => [
        `Role ${r.name} (${r.role}): trusted only for sub ${r.subject}`,
        `  policy: ${r.statements} statements in ${r.sizes.length} managed ${r.sizes.length === 1 ? "policy" : "policies"} (${r.sizes.join(", ")} of ${MANAGED_POLICY_LIMIT} characters)`,
      ]),
      `Operator policy: ${operator.Statement.length} statements in ${parts.length} managed ${parts.length === 1 ? "policy" : "policies"} (${parts.map(policySize).join(", ")} of ${MANAGED_POLICY_LIMIT} characters; any account and region: attach them in yours)`,
      "",
      "Outputs:",
      ...Object.entries(run.outputs).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
      "",
      "Placeholders (made up offline, not real AWS values):",
      ...run.placeholders.map((p) => `  - ${p}`),
      "",
      `Wrote ${path.join(outDir, "resources.json")}, ${ROLES.map((r) => `${r}-role.json`).join(", ")} and ${operatorFile}`,
    ].join("\n"),
  );
}

function roleReport(run: PlatformRun, role: (typeof ROLES)[number]) {
  const name = ROLE_NAMES[role];
  const roleResource = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name)!;
  const trust = roleResource.inputs.assumeRolePolicy as { Statement: { Condition: { StringEquals: Record<string, string> } }[] };
  const parts = rolePolicyParts(run, name);
  const policy = { Version: "2012-10-17", Statement: parts.flatMap((part) => part.Statement) };
  const subject = Object.entries(trust.Statement[0].Condition.StringEquals).find(([k]) => k.endsWith(":sub"))![1];
  return { role, name, subject, sizes: parts.map(policySize), statements: policy.Statement.length, trust, policy, parts };
}

function stateBackendOf(run: PlatformRun): { bucket: string; keyArn: string } | undefined {
  const bucket = run.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "openclaw-state");
  const url = run.outputs.secrets_provider as string | undefined;
  if (!bucket || !url) return undefined;
  const keyId = /^awskms:\/\/([^?]+)/.exec(url)![1];
  return { bucket: String(bucket.inputs.bucket), keyArn: `arn:aws:kms:*:*:key/${keyId}` };
}

main().catch((error: unknown) => {
  const cause = (error as { cause?: unknown }).cause ?? error;
  console.error(`platform plan failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  console.error(USAGE);
  process.exitCode = 1;
});
