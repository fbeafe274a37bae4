import { beforeAll, describe, expect, it } from "vitest";
import { OfflineRun } from "../src/offline/run";
import { ecrRepository, PolicyDocument, Statement, UNSCOPABLE_ACTIONS } from "../src/policies";
import { runStack } from "./support/stacks";

const ECR_IMAGE = "123456789012.dkr.ecr.me-central-1.amazonaws.com/team/openclaw:2026.1.1";

const rolePolicy = (run: OfflineRun, name: string): PolicyDocument =>
  run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === name)!.inputs
    .policy as PolicyDocument;

const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const statement = (doc: PolicyDocument, sid: string) => doc.Statement.find((s) => s.Sid === sid)!;

/** Allow statements granting something on `*` that AWS would let us scope. */
function scopableWildcards(doc: PolicyDocument): string[] {
  return doc.Statement.filter((s) => s.Effect === "Allow" && resources(s).some((r) => r === "*" || r === undefined))
    .flatMap((s) => s.Action.filter((action) => !UNSCOPABLE_ACTIONS.includes(action)).map((a) => `${s.Sid}: ${a}`));
}

describe("IAM", () => {
  let run: OfflineRun;
  let ecrRun: OfflineRun;
  beforeAll(async () => {
    run = await runStack();
    ecrRun = await runStack({ config: { "openclaw:openclaw_image": ECR_IMAGE } });
  });

  it("flags a wildcard resource on a scopable action (the check itself)", () => {
    const doc: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Sid: "TooBroad", Effect: "Allow", Action: ["s3:GetObject", "ec2:DescribeTags"], Resource: "*" }],
    };
    expect(scopableWildcards(doc)).toEqual(["TooBroad: s3:GetObject"]);
  });

  it.each(["openclaw-instance", "openclaw-dlm"])("%s policy has no wildcard resource where AWS allows scoping", (name) => {
    expect(scopableWildcards(rolePolicy(run, name))).toEqual([]);
    expect(scopableWildcards(rolePolicy(ecrRun, name))).toEqual([]);
  });

  it("attaches no AWS-managed policy (they grant unscoped actions)", () => {
    const types = run.resources.map((r) => r.type);
    expect(types).not.toContain("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(types).not.toContain("aws:iam/policyAttachment:PolicyAttachment");
    for (const role of run.resources.filter((r) => r.type === "aws:iam/role:Role")) {
      expect(role.inputs.managedPolicyArns).toBeUndefined();
    }
  });

  it("reads only the stack's dotenv parameter", () => {
    const reads = statement(rolePolicy(run, "openclaw-instance"), "ReadDotenvParameter");
    expect(reads.Resource).toBe("arn:aws:ssm:me-central-1:123456789012:parameter/openclaw/dev/env");
    const all = rolePolicy(run, "openclaw-instance").Statement.filter((s) => s.Action.some((a) => a.startsWith("ssm:Get")));
    expect(all).toEqual([reads]);
  });

  it("reads and writes only the stack's prefix of the backup bucket", () => {
    const doc = rolePolicy(run, "openclaw-instance");
    const bucket = "arn:aws:s3:::openclaw-dev-123456789012-me-central-1";
    expect(statement(doc, "ReadWriteBackupPrefix").Resource).toBe(`${bucket}/dev/*`);
    expect(statement(doc, "ListBackupPrefix")).toMatchObject({
      Resource: bucket,
      Condition: { StringLike: { "s3:prefix": ["dev/", "dev/*"] } },
    });
    const s3 = doc.Statement.filter((s) => s.Action.some((a) => a.startsWith("s3:")));
    expect(s3.flatMap(resources).every((r) => r!.startsWith(bucket))).toBe(true);
  });

  it("lets the instance add and read backups but never delete one (no s3:Delete*, no version or lifecycle rights)", () => {
    const actions = rolePolicy(run, "openclaw-instance").Statement.flatMap((s) => s.Action);
    expect(actions.filter((a) => a.startsWith("s3:")).sort()).toEqual([
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
    ]);
    expect(actions.filter((a) => /^s3:(Delete|PutLifecycle|PutBucketVersioning|PutBucketPolicy|\*)/.test(a))).toEqual([]);
  });

  it("writes only to the stack's log groups", () => {
    expect(statement(rolePolicy(run, "openclaw-instance"), "WriteStackLogs").Resource).toBe(
      "arn:aws:logs:me-central-1:123456789012:log-group:/openclaw/dev/*",
    );
  });

  it("pulls from ECR only for an ECR image, and only that repository", () => {
    const plain = rolePolicy(run, "openclaw-instance").Statement.flatMap((s) => s.Action);
    expect(plain.filter((a) => a.startsWith("ecr:"))).toEqual([]);
    expect(statement(rolePolicy(ecrRun, "openclaw-instance"), "EcrPullOpenClawImage").Resource).toBe(
      "arn:aws:ecr:me-central-1:123456789012:repository/team/openclaw",
    );
  });

  it("lets DLM delete only snapshots tagged with the stack", () => {
    expect(statement(rolePolicy(run, "openclaw-dlm"), "ExpireStackSnapshots")).toMatchObject({
      Action: ["ec2:DeleteSnapshot"],
      Condition: { StringEquals: { "aws:ResourceTag/OpenClawStack": "dev" } },
    });
  });

  it("gives both roles the platform's permissions boundary (openclaw-stack-boundary), or none with permissions_boundary: none", async () => {
    const boundaryOf = (r: OfflineRun, name: string) => r.resources.find((x) => x.type === "aws:iam/role:Role" && x.name === name)!.inputs.permissionsBoundary;
    for (const name of ["openclaw-instance", "openclaw-dlm"]) {
      expect(boundaryOf(run, name), name).toBe("arn:aws:iam::123456789012:policy/openclaw-stack-boundary");
    }
    const custom = await runStack({ config: { "openclaw:permissions_boundary": "team-boundary" } });
    const none = await runStack({ config: { "openclaw:permissions_boundary": "none" } });
    for (const name of ["openclaw-instance", "openclaw-dlm"]) {
      expect(boundaryOf(custom, name)).toBe("arn:aws:iam::123456789012:policy/team-boundary");
      expect(boundaryOf(none, name)).toBeUndefined();
    }
  });

  it("trusts only the intended service, without a Resource element", () => {
    const trust = (name: string) =>
      run.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === name)!.inputs
        .assumeRolePolicy as PolicyDocument;
    expect(trust("openclaw-instance").Statement).toEqual([
      { Sid: "AssumeRole", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
    ]);
    expect(trust("openclaw-dlm").Statement[0].Principal).toEqual({ Service: "dlm.amazonaws.com" });
  });

  it.each([
    [ECR_IMAGE, { accountId: "123456789012", region: "me-central-1", name: "team/openclaw" }],
    ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/openclaw@sha256:" + "a".repeat(64), { accountId: "123456789012", region: "cn-north-1", name: "openclaw" }],
    ["ghcr.io/openclaw/openclaw:latest", undefined],
    ["public.ecr.aws/openclaw/openclaw:latest", undefined],
  ])("parses the ECR repository of %s", (image, expected) => {
    expect(ecrRepository(image)).toEqual(expected);
  });
});
