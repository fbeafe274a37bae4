// README's modes table against the offline plan: each row's Plan cell names a stack whose example config
// (infra/Pulumi.<stack>.example.yaml, else infra/Pulumi.example.yaml, as ./build.sh Plan picks it) is planned here,
// and the data volume, DLM policy and backup bucket it marks ✓ or ✗ must be what the plan creates.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CLOUD_INIT_DIR } from "../src/main";
import { runOffline } from "../src/offline/run";
import { readStackConfigFile } from "../src/offline/stackConfig";

const INFRA = path.resolve(__dirname, "..");
const README = path.join(INFRA, "..", "README.md");

/** The resource type behind each word of the Plan cell. */
const MARKED = {
  volume: "aws:ebs/volume:Volume",
  DLM: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
  bucket: "aws:s3/bucket:Bucket",
} as const;

interface ModeRow {
  mode: string;
  stack: string;
  marks: Record<keyof typeof MARKED, boolean>;
}

function modeRows(): ModeRow[] {
  const text = fs.readFileSync(README, "utf8");
  const section = text.slice(text.indexOf("\n## Four ways"), text.indexOf("\n## ", text.indexOf("\n## Four ways") + 1));
  const lines = section.split("\n").filter((line) => line.startsWith("| "));
  const header = lines[0].split("|").map((c) => c.trim());
  const planColumn = header.indexOf("Plan");
  return lines.slice(2).map((line) => {
    const cells = line.split("|").map((c) => c.trim());
    const plan = cells[planColumn];
    const stack = /`--stack ([a-z0-9-]+)`/.exec(plan)?.[1];
    if (!stack) throw new Error(`README modes table, row ${cells[1]}: the Plan cell names no --stack: ${plan}`);
    const marks = Object.fromEntries(
      Object.keys(MARKED).map((word) => {
        const mark = new RegExp(`${word} ([✓✗])`).exec(plan)?.[1];
        if (!mark) throw new Error(`README modes table, row ${cells[1]}: no ${word} ✓ or ✗ in ${plan}`);
        return [word, mark === "✓"];
      }),
    ) as ModeRow["marks"];
    return { mode: cells[1], stack, marks };
  });
}

/** The committed config ./build.sh Plan --stack <stack> reads when the operator has no Pulumi.<stack>.yaml. */
const exampleConfig = (stack: string) =>
  [path.join(INFRA, `Pulumi.${stack}.example.yaml`), path.join(INFRA, "Pulumi.example.yaml")].find((f) => fs.existsSync(f))!;

const rows = modeRows();

describe("README's modes table", () => {
  it("has the four modes, the ephemeral one planned from its own example config", () => {
    expect(rows.map((r) => r.mode)).toEqual(["ephemeral lab", "retained volume", "snapshot-first (default)", "DLM automation"]);
    expect(exampleConfig("ephemeral")).toBe(path.join(INFRA, "Pulumi.ephemeral.example.yaml"));
  });

  it("names every example config in infra/", () => {
    const examples = fs.readdirSync(INFRA).filter((f) => /^Pulumi\.[a-z0-9-]+\.example\.yaml$/.test(f));
    const named = rows.map((r) => `Pulumi.${r.stack}.example.yaml`);
    expect(examples.filter((f) => !named.includes(f))).toEqual([]);
  });

  describe.each(rows)("$mode", (row) => {
    const ownExample = path.join(INFRA, `Pulumi.${row.stack}.example.yaml`);
    const planned = row.stack === "dev" || fs.existsSync(ownExample);
    it.skipIf(!planned)(`marks what Plan --stack ${row.stack} creates`, async () => {
      const { config } = readStackConfigFile(exampleConfig(row.stack));
      const run = await runOffline({ stack: row.stack, config, cloudInitDir: CLOUD_INIT_DIR });
      const types = new Set(run.resources.map((r) => r.type));
      const created = Object.fromEntries(Object.entries(MARKED).map(([word, type]) => [word, types.has(type)]));
      expect(created).toEqual(row.marks);
    });
  });
});
