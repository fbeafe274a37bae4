// Offline plan: runs the program under Pulumi mocks for a stack config file and writes
// <out>/resources.json and <out>/user-data.yaml. No AWS credentials, network or Pulumi CLI needed.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CONFIG, DEFAULT_DATA_VOLUME_SIZE_GIB, PROJECT, TAGS } from "../src/contract";
import { CLOUD_INIT_DIR } from "../src/main";
import { dataVolumeTargetTags } from "../src/naming";
import { OfflineRun, runOffline } from "../src/offline/run";
import { readStackConfigFile } from "../src/offline/stackConfig";

const USAGE = "usage: npm run plan -- [--config Pulumi.<stack>.yaml] [--stack dev] [--out plan-out] [--cloud-init dir]";
const INFRA_DIR = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      stack: { type: "string", default: "dev" },
      out: { type: "string", default: "plan-out" },
      "cloud-init": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // npm runs scripts in infra/; paths given by the user are relative to where they typed the command.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const configFile = values.config ? path.resolve(cwd, values.config) : path.join(INFRA_DIR, "Pulumi.example.yaml");
  const outDir = path.resolve(cwd, values.out!);
  const cloudInitDir = values["cloud-init"] ? path.resolve(cwd, values["cloud-init"]) : CLOUD_INIT_DIR;
  const stack = values.stack!;

  const { config, secureKeys } = readStackConfigFile(configFile);
  // A restore config gets a snapshot that passes the guardrail: this stack's tags, the configured AZ and size.
  const defaultSnapshot = {
    volumeSize: Number(config[`${PROJECT}:${CONFIG.dataVolumeSizeGib}`] ?? DEFAULT_DATA_VOLUME_SIZE_GIB),
    tags: { ...dataVolumeTargetTags(stack), [TAGS.az]: config[`${PROJECT}:${CONFIG.availabilityZone}`] ?? "" },
  };
  // An adopting config (data_volume_id) gets a volume that passes the adopt guardrail: retained by this stack, in its AZ.
  const defaultVolume = {
    availabilityZone: config[`${PROJECT}:${CONFIG.availabilityZone}`] ?? "",
    size: defaultSnapshot.volumeSize,
    encrypted: true,
    tags: defaultSnapshot.tags,
  };
  const run = await runOffline({ stack, config, cloudInitDir, mocks: { defaultSnapshot, defaultVolume } });

  fs.mkdirSync(outDir, { recursive: true });
  const placeholders = [...run.placeholders, ...secureKeys.map((key) => `${key}: encrypted value replaced by <secret>`)];
  const report = { stack, configFile, placeholders, outputs: run.outputs, resources: run.resources };
  fs.writeFileSync(path.join(outDir, "resources.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, "user-data.yaml"), run.userData.text);
  console.log(summary(run, stack, configFile, placeholders, outDir));
}

function summary(run: OfflineRun, stack: string, configFile: string, placeholders: string[], outDir: string): string {
  const byType = new Map<string, string[]>();
  for (const r of run.resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r.name]);
  const ud = run.userData;
  const delivered =
    ud.delivery.encoding === "gzip" ? `${ud.delivery.bytes} bytes gzipped for EC2` : "sent as is to EC2";
  return [
    `Offline plan of stack "${stack}" from ${configFile} (Pulumi mocks, no AWS calls)`,
    "",
    `Resources: ${run.resources.length} of ${byType.size} types`,
    ...[...byType].map(([type, names]) => `  ${String(names.length).padStart(2)}  ${type}  ${names.join(", ")}`),
    "",
    `User-data: ${ud.bytes} bytes of #cloud-config, ${delivered} (limit 16384); ${ud.files.length} files`,
    ...ud.files.map((f) => `  ${String(f.bytes).padStart(6)}  ${f.path}`),
    "",
    // --- retain ---
    "Kept by pulumi destroy (retainOnDelete):",
    ...run.resources.filter((r) => r.options.retainOnDelete).map((r) => `  ${r.type}  ${r.name}`),
    "",
    // --- end retain ---
    ...snapshotLines(run),
    "",
    "Outputs:",
    ...Object.entries(run.outputs).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
    "",
    "Placeholders (made up offline, not real AWS values):",
    ...placeholders.map((p) => `  - ${p}`),
    "",
    `Wrote ${path.join(outDir, "resources.json")} and ${path.join(outDir, "user-data.yaml")}`,
  ].join("\n");
}

/** The DLM schedule and, with dr_region, its cross-region copy rule (where, encrypted with what, kept how long). */
function snapshotLines(run: OfflineRun): string[] {
  const policy = run.resources.find((r) => r.type === "aws:dlm/lifecyclePolicy:LifecyclePolicy");
  type Rule = { target?: string; encrypted?: boolean; cmkArn?: string; retainRule?: { interval: number; intervalUnit: string } };
  type Schedule = { name?: string; crossRegionCopyRules?: Rule[] };
  const schedules = ((policy?.inputs.policyDetails as { schedules?: Schedule[] } | undefined)?.schedules ?? []) as Schedule[];
  const lines = ["Snapshots (DLM):"];
  for (const schedule of schedules) {
    lines.push(`  ${schedule.name}`);
    for (const rule of schedule.crossRegionCopyRules ?? []) {
      const key = rule.cmkArn ? `key ${rule.cmkArn}` : `the default EBS key of ${rule.target}`;
      const kept = rule.retainRule ? `${rule.retainRule.interval} ${rule.retainRule.intervalUnit.toLowerCase()}` : "as the source";
      lines.push(`  copied to ${rule.target}: ${rule.encrypted ? `encrypted with ${key}` : "unencrypted"}, kept ${kept}, tags copied`);
    }
    if ((schedule.crossRegionCopyRules ?? []).length === 0) lines.push("  no cross-region copy (set openclaw:dr_region for one)");
  }
  return lines;
}

main().catch((error: unknown) => {
  const cause = (error as { cause?: unknown }).cause ?? error;
  console.error(`plan failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  console.error(USAGE);
  process.exitCode = 1;
});
