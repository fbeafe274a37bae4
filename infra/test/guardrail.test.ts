import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config";
import { GuardrailError } from "../src/guardrail";
import { failStack, restoreMocks, runStack, SNAPSHOT_ID } from "./support/stacks";

const restoreConfig = { "openclaw:data_volume_snapshot_id": SNAPSHOT_ID };
const stackTags = { OpenClawData: "true", OpenClawStack: "dev" };

const volumeOf = (resources: { type: string; inputs: Record<string, unknown> }[]) =>
  resources.find((r) => r.type === "aws:ebs/volume:Volume")!.inputs;

describe("restore guardrail", () => {
  it("restores a snapshot whose OpenClawAz matches availability_zone", async () => {
    const run = await runStack({
      config: restoreConfig,
      mocks: restoreMocks({ ...stackTags, OpenClawAz: "me-central-1a" }, 30),
    });
    expect(volumeOf(run.resources)).toMatchObject({
      snapshotId: SNAPSHOT_ID,
      availabilityZone: "me-central-1a",
      size: 30, // the snapshot's size when data_volume_size_gib is unset
    });
  });

  it("fails before any resource when the snapshot has no OpenClawAz tag, naming both", async () => {
    const failure = await failStack({ config: restoreConfig, mocks: restoreMocks(stackTags) });
    expect(failure.cause).toBeInstanceOf(GuardrailError);
    expect(failure.message).toContain(`snapshot ${SNAPSHOT_ID} has no OpenClawAz tag`);
    expect(failure.message).toContain("openclaw:availability_zone (me-central-1a)");
    expect(failure.registered).toEqual([]);
  });

  it("fails before any resource when OpenClawAz differs, naming both zones", async () => {
    const failure = await failStack({
      config: restoreConfig,
      mocks: restoreMocks({ ...stackTags, OpenClawAz: "me-central-1b" }),
    });
    expect(failure.cause).toBeInstanceOf(GuardrailError);
    expect(failure.message).toContain(
      `snapshot ${SNAPSHOT_ID} has OpenClawAz=me-central-1b but openclaw:availability_zone is me-central-1a`,
    );
    expect(failure.registered).toEqual([]);
  });

  // --- move (issue 16) --- Move passes the guardrail only through its recorded copy; the guardrail itself is unchanged.
  it("still refuses an unacknowledged AZ mismatch: the original snapshot of the old AZ after availability_zone moved", async () => {
    const failure = await failStack({
      config: { ...restoreConfig, "openclaw:availability_zone": "me-central-1b" },
      mocks: restoreMocks({ ...stackTags, OpenClawAz: "me-central-1a", CreatedBy: "dlm" }),
    });
    expect(failure.cause).toBeInstanceOf(GuardrailError);
    expect(failure.message).toContain(
      `snapshot ${SNAPSHOT_ID} has OpenClawAz=me-central-1a but openclaw:availability_zone is me-central-1b`,
    );
    expect(failure.registered).toEqual([]);
  });

  it("refuses a moved copy made for another AZ than the one pinned", async () => {
    const failure = await failStack({
      config: { ...restoreConfig, "openclaw:availability_zone": "me-central-1c" },
      mocks: restoreMocks({ ...stackTags, OpenClawAz: "me-central-1b", OpenClawMovedFrom: "me-central-1a/snap-0a1b2c3d4e5f60718" }),
    });
    expect(failure.cause).toBeInstanceOf(GuardrailError);
    expect(failure.message).toContain("has OpenClawAz=me-central-1b but openclaw:availability_zone is me-central-1c");
  });

  it("accepts Move's copy: tagged for the new AZ, with OpenClawMovedFrom recording the old AZ and snapshot", async () => {
    const run = await runStack({
      config: { ...restoreConfig, "openclaw:availability_zone": "me-central-1b" },
      mocks: restoreMocks({ ...stackTags, OpenClawAz: "me-central-1b", OpenClawMovedFrom: "me-central-1a/snap-0a1b2c3d4e5f60718" }, 30),
    });
    expect(volumeOf(run.resources)).toMatchObject({ snapshotId: SNAPSHOT_ID, availabilityZone: "me-central-1b", size: 30 });
  });
  // --- end move ---

  it("fails when the snapshot does not exist", async () => {
    const failure = await failStack({ config: restoreConfig, mocks: { snapshots: {} } });
    expect(failure.cause).toBeInstanceOf(GuardrailError);
    expect(failure.message).toContain(`openclaw:data_volume_snapshot_id: snapshot ${SNAPSHOT_ID} could not be read`);
    expect(failure.message).toContain("InvalidSnapshot.NotFound");
    expect(failure.registered).toEqual([]);
  });

  it("fails when data_volume_size_gib is smaller than the snapshot", async () => {
    const failure = await failStack({
      config: { ...restoreConfig, "openclaw:data_volume_size_gib": "10" },
      mocks: restoreMocks({ ...stackTags, OpenClawAz: "me-central-1a" }, 30),
    });
    expect(failure.message).toContain("openclaw:data_volume_size_gib is 10 but snapshot");
    expect(failure.message).toContain("30 GiB");
    expect(failure.registered).toEqual([]);
  });

  it("does not look a snapshot up without data_volume_snapshot_id", async () => {
    // An empty snapshot table would make any lookup fail.
    const run = await runStack({ mocks: { snapshots: {} } });
    expect(volumeOf(run.resources).snapshotId).toBeUndefined();
    expect(volumeOf(run.resources).size).toBe(20);
  });
});

describe("availability zone lookup", () => {
  it("fails before any resource when the zone is not available in the region", async () => {
    const failure = await failStack({
      config: { "openclaw:availability_zone": "me-central-1d" },
    });
    expect(failure.cause).toBeInstanceOf(ConfigError);
    expect(failure.message).toContain(
      'openclaw:availability_zone: got "me-central-1d"; accepted: one of me-central-1a, me-central-1b, me-central-1c',
    );
    expect(failure.registered).toEqual([]);
  });
});
