// --- move (issue 16) --- dr_region: DLM copies every snapshot to a second region, encrypted there, kept on its own rule.
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config";
import { OfflineRun, PlannedResource } from "../src/offline/run";
import { PolicyDocument } from "../src/policies";
import { failStack, runStack } from "./support/stacks";

const DR = { "openclaw:dr_region": "eu-central-1", "openclaw:dr_retention_days": "30" };

const find = (run: OfflineRun, type: string, name?: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0];
};
const approvalText = (run: OfflineRun) => `${JSON.stringify({ outputs: run.outputs, resources: run.resources }, null, 2)}\n`;
const schedule = (run: OfflineRun) =>
  (find(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy").inputs.policyDetails as { schedules: Record<string, unknown>[] }).schedules[0];
const dlmRolePolicy = (run: OfflineRun) => find(run, "aws:iam/rolePolicy:RolePolicy", "openclaw-dlm").inputs.policy as PolicyDocument;

describe("dr_region with the stack's own key (kms_key: stack)", () => {
  let run: OfflineRun;
  beforeAll(async () => {
    run = await runStack({ config: DR });
  });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("./__approved__/stack-dr.approved.json");
  });

  it("adds a cross-region copy rule: encrypted with a key in dr_region, tags copied, its own retention", () => {
    const key = find(run, "aws:kms/key:Key", "openclaw-dr");
    expect(schedule(run).crossRegionCopyRules).toEqual([
      {
        target: "eu-central-1",
        encrypted: true,
        cmkArn: expect.stringMatching(/^arn:aws:kms:eu-central-1:123456789012:key\//),
        copyTags: true,
        retainRule: { interval: 30, intervalUnit: "DAYS" },
      },
    ]);
    // The source schedule keeps its own retention.
    expect(schedule(run).retainRule).toEqual({ interval: 7, intervalUnit: "DAYS" });
    expect(key.options).toMatchObject({ retainOnDelete: true });
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(find(run, "aws:kms/alias:Alias", "openclaw-dr").inputs.name).toBe("alias/openclaw-dev-dr");
    expect(find(run, "pulumi:providers:aws", "openclaw-dr").inputs.region).toBe("eu-central-1");
  });

  it("lets the key be used only through EC2 in dr_region", () => {
    const policy = find(run, "aws:kms/key:Key", "openclaw-dr").inputs.policy as PolicyDocument;
    const use = policy.Statement.find((s) => s.Sid === "EbsThroughEc2")!;
    expect(use.Condition).toEqual({
      StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.eu-central-1.amazonaws.com" },
    });
  });

  it("lets DLM copy, tag and expire snapshots in both regions, and use keys only through EC2", () => {
    const statements = dlmRolePolicy(run).Statement;
    const copy = statements.find((s) => s.Sid === "CopySnapshotsToDrRegion")!;
    expect(copy.Action).toEqual(["ec2:CopySnapshot"]);
    expect(copy.Resource).toEqual(["arn:aws:ec2:me-central-1::snapshot/*", "arn:aws:ec2:eu-central-1::snapshot/*"]);
    expect(statements.find((s) => s.Sid === "ExpireStackSnapshots")!.Resource).toEqual(copy.Resource);
    expect(statements.find((s) => s.Sid === "EncryptCopiesThroughEc2")!.Condition).toEqual({
      StringEquals: { "kms:ViaService": ["ec2.me-central-1.amazonaws.com", "ec2.eu-central-1.amazonaws.com"] },
    });
  });
});

describe("dr_region with AWS-managed keys", () => {
  it("encrypts the copies with dr_region's default EBS key and creates no key", async () => {
    const run = await runStack({ config: { ...DR, "openclaw:kms_key": "aws-managed" } });
    const rule = (schedule(run).crossRegionCopyRules as Record<string, unknown>[])[0];
    expect(rule).toEqual({ target: "eu-central-1", encrypted: true, copyTags: true, retainRule: { interval: 30, intervalUnit: "DAYS" } });
    expect(run.resources.filter((r) => r.type === "aws:kms/key:Key" || r.type === "pulumi:providers:aws")).toEqual([]);
  });
});

describe("without dr_region", () => {
  it("has no copy rule and DLM stays in the stack's region", async () => {
    const run = await runStack();
    expect(schedule(run).crossRegionCopyRules).toBeUndefined();
    expect(dlmRolePolicy(run).Statement.map((s) => s.Sid)).not.toContain("CopySnapshotsToDrRegion");
  });
});

describe("dr_region validation", () => {
  it.each([
    ["me-central-1", "a region other than aws:region me-central-1"],
    ["Frankfurt", "an AWS region such as eu-central-1"],
  ])("refuses %s", async (value, accepted) => {
    const failure = await failStack({ config: { "openclaw:dr_region": value } });
    expect(failure.cause).toBeInstanceOf(ConfigError);
    expect(failure.message).toContain(`openclaw:dr_region: got "${value}"; accepted: ${accepted}`);
  });

  it("refuses a retention outside 1 to 3650 days", async () => {
    const failure = await failStack({ config: { ...DR, "openclaw:dr_retention_days": "0" } });
    expect(failure.message).toContain('openclaw:dr_retention_days: got "0"; accepted: an integer from 1 to 3650');
  });
});
