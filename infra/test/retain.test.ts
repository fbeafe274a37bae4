import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseSettings } from "../src/config";
import { GuardrailError } from "../src/guardrail";
import { VolumeFixture } from "../src/offline/mocks";
import { OfflineRun, PlannedResource } from "../src/offline/run";
import { failStack, FIXTURE_CLOUD_INIT, runStack, SNAPSHOT_ID } from "./support/stacks";

// The retained volume (issue 15, item 1): data_volume_retain_on_destroy keeps the created volume on destroy, and
// data_volume_id adopts an existing one, checked like the restore guardrail before anything is registered.

const VOLUME_ID = "vol-0a1b2c3d4e5f60718";
const adoptConfig = { "openclaw:data_volume_id": VOLUME_ID };
const ownTags = { Name: "openclaw-dev-data", OpenClawData: "true", OpenClawStack: "dev", OpenClawAz: "me-central-1a" };
const retained: VolumeFixture = {
  availabilityZone: "me-central-1a",
  size: 30,
  encrypted: true,
  tags: { ...ownTags, OpenClawRetainedAt: "2026-11-30T10:00:00Z", OpenClawRetainedFrom: "dev" },
};
const volumeMocks = (fixture: Partial<VolumeFixture> = {}) => ({ volumes: { [VOLUME_ID]: { ...retained, ...fixture } } });

const find = (run: OfflineRun, type: string): PlannedResource[] => run.resources.filter((r) => r.type === type);
const approvalText = (run: OfflineRun) => `${JSON.stringify({ outputs: run.outputs, resources: run.resources }, null, 2)}\n`;

describe("data_volume_retain_on_destroy", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack({ config: { "openclaw:data_volume_retain_on_destroy": "true" } });
  });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("./__approved__/stack-retain.approved.json");
  });

  it("creates the data volume as usual, but pulumi destroy leaves it (retainOnDelete)", () => {
    const [volume] = find(run, "aws:ebs/volume:Volume");
    expect(volume.inputs).toMatchObject({ availabilityZone: "me-central-1a", encrypted: true, size: 20, type: "gp3" });
    expect(volume.options).toEqual({ retainOnDelete: true });
  });

  it("leaves a volume without it to pulumi destroy (the default)", async () => {
    const plain = await runStack();
    expect(find(plain, "aws:ebs/volume:Volume")[0].options).toEqual({});
  });
});

describe("data_volume_id (adopt an existing volume)", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack({ config: adoptConfig, mocks: volumeMocks() });
  });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("./__approved__/stack-adopt.approved.json");
  });

  it("creates no volume: it attaches the adopted one, so pulumi destroy can never delete it", () => {
    expect(find(run, "aws:ebs/volume:Volume")).toEqual([]);
    const [attachment] = find(run, "aws:ec2/volumeAttachment:VolumeAttachment");
    expect(attachment.inputs).toMatchObject({ volumeId: VOLUME_ID, deviceName: "/dev/sdf", stopInstanceBeforeDetaching: true });
    expect(run.outputs.data_volume_id).toBe(VOLUME_ID);
  });

  it("hands the adopted volume's id to the instance's mount step", () => {
    expect(run.userData.text).toContain(VOLUME_ID);
  });

  it("adopts a volume still attached to this stack's own instance (a redeploy)", async () => {
    const again = await runStack({
      config: adoptConfig,
      mocks: volumeMocks({ attachedTo: [{ instanceId: "i-0123456789abcdef0", stack: "dev" }] }),
    });
    expect(again.outputs.data_volume_id).toBe(VOLUME_ID);
  });

  it("refuses data_volume_id beside data_volume_snapshot_id", () => {
    expect(() =>
      parseSettings({
        stack: "dev",
        region: "me-central-1",
        values: { availability_zone: "me-central-1a", data_volume_id: VOLUME_ID, data_volume_snapshot_id: SNAPSHOT_ID },
      }),
    ).toThrow(/openclaw:data_volume_id and openclaw:data_volume_snapshot_id exclude each other/);
  });
});

describe("adopt guardrail", () => {
  async function refusal(fixture: Partial<VolumeFixture> | null, config: Record<string, string> = {}) {
    const failure = await failStack({
      config: { ...adoptConfig, ...config },
      mocks: fixture === null ? { volumes: {} } : volumeMocks(fixture),
    });
    expect(failure.cause).toBeInstanceOf(GuardrailError);
    expect(failure.registered).toEqual([]);
    return failure.message;
  }

  it("fails before any resource when the volume does not exist", async () => {
    const message = await refusal(null);
    expect(message).toContain(`openclaw:data_volume_id: volume ${VOLUME_ID} could not be read in me-central-1`);
    expect(message).toContain("Your query returned no results");
  });

  it("fails when the volume is in another AZ, naming both and the fix", async () => {
    const message = await refusal({ availabilityZone: "me-central-1b" });
    expect(message).toContain(`volume ${VOLUME_ID} is in me-central-1b but openclaw:availability_zone is me-central-1a`);
    expect(message).toContain(`./build.sh Reattach --volume ${VOLUME_ID}`);
  });

  it("fails when the volume is not encrypted", async () => {
    expect(await refusal({ encrypted: false })).toContain(`volume ${VOLUME_ID} is not encrypted`);
  });

  it("fails when another instance holds the volume", async () => {
    const message = await refusal({ attachedTo: [{ instanceId: "i-0fedcba9876543210", stack: "prod" }] });
    expect(message).toContain(`volume ${VOLUME_ID} is attached to i-0fedcba9876543210, which is not an instance of stack dev`);
  });

  it("fails when the volume belongs to another stack, pointing at --adopt-foreign", async () => {
    const message = await refusal({ tags: { ...ownTags, OpenClawStack: "prod" } });
    expect(message).toContain(`volume ${VOLUME_ID} belongs to stack prod (OpenClawStack tag)`);
    expect(message).toContain(`./build.sh Reattach --stack dev --volume ${VOLUME_ID} --adopt-foreign retags it to this stack`);
  });

  it("fails when the volume carries no OpenClaw tags at all (DLM would never snapshot it)", async () => {
    expect(await refusal({ tags: {} })).toContain(`volume ${VOLUME_ID} carries no OpenClawStack tag, so stack dev's DLM policy would not snapshot it`);
  });

  it("fails when data_volume_size_gib disagrees with the volume", async () => {
    expect(await refusal({}, { "openclaw:data_volume_size_gib": "20" })).toContain(
      `openclaw:data_volume_size_gib is 20 but volume ${VOLUME_ID} is 30 GiB`,
    );
  });

  it("reports every problem at once", async () => {
    const message = await refusal({ availabilityZone: "me-central-1c", encrypted: false, tags: {} });
    expect(message.split("\n  - ")).toHaveLength(4);
  });

  it("does not look a volume up without data_volume_id", async () => {
    // An empty volume table would make any lookup fail.
    const run = await runStack({ mocks: { volumes: {} } });
    expect(find(run, "aws:ebs/volume:Volume")).toHaveLength(1);
  });

  it("rejects a malformed id as config, before any lookup", async () => {
    const failure = await failStack({ config: { "openclaw:data_volume_id": "vol-xyz" } });
    expect(failure.cause).toBeInstanceOf(ConfigError);
  });
});

describe("Pulumi.retained.example.yaml", () => {
  const INFRA_DIR = path.resolve(__dirname, "..");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-retain-plan-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  let stdout = "";
  function plan(config: string, stack: string) {
    const out = path.join(tmp, stack);
    const result = spawnSync(
      "npm",
      ["--prefix", INFRA_DIR, "run", "--silent", "plan", "--", "--config", config, "--stack", stack, "--out", out, "--cloud-init", FIXTURE_CLOUD_INIT],
      { cwd: INFRA_DIR, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    stdout = result.stdout;
    return JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8"));
  }

  it("plans offline: the volume is kept on destroy", () => {
    const report = plan(path.join(INFRA_DIR, "Pulumi.retained.example.yaml"), "retained");
    const volume = report.resources.find((r: PlannedResource) => r.type === "aws:ebs/volume:Volume");
    expect(volume.options).toEqual({ retainOnDelete: true });
    expect(stdout).toMatch(/Kept by pulumi destroy \(retainOnDelete\):\n(.*\n)*  aws:ebs\/volume:Volume  openclaw-data\n/);
  });

  it("plans an adopting copy of it with a placeholder volume that passes the guardrail", () => {
    const example = fs.readFileSync(path.join(INFRA_DIR, "Pulumi.retained.example.yaml"), "utf8");
    const adopting = path.join(tmp, "Pulumi.adopt.yaml");
    fs.writeFileSync(adopting, example.replace(/# (openclaw:data_volume_id: vol-\w+)/, "$1").replace(/\n.*data_volume_size_gib.*\n/, "\n"));
    const report = plan(adopting, "retained");
    expect(report.resources.map((r: PlannedResource) => r.type)).not.toContain("aws:ebs/volume:Volume");
    expect(report.outputs.data_volume_id).toMatch(/^vol-/);
    expect(report.placeholders.join("\n")).toContain(`volume ${report.outputs.data_volume_id}`);
  });
});
