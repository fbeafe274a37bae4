import { describe, expect, it } from "vitest";
import { OfflineRun } from "../../src/offline/run";
import type { PolicyDocument, Statement } from "../../src/policies";
import { STACK_BOUNDARY_NAME, stackBoundaryArn, stackBoundaryPolicy } from "../../src/platform/boundary";
import { loadPermissions, MANAGED_POLICY_LIMIT, PermissionScope, policySize, renderPolicy } from "../../src/platform/permissions";
import { runStack } from "../support/stacks";

const scope = (stacks: string[]): PermissionScope => ({ partition: "aws", region: "me-central-1", account: "123456789012", stacks });
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource!]);
/** IAM's wildcard match, enough for ARNs: `*` is any run of characters. */
const matches = (pattern: string, arn: string) =>
  new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, "\\$&")).join(".*")}$`).test(arn);
/** Every value of a condition of `inner` is allowed by the same key in `outer` (outer may list more values). */
const conditionWithin = (outer: Statement["Condition"], inner: Statement["Condition"]) =>
  Object.entries(outer ?? {}).every(([op, entries]) =>
    Object.entries(entries).every(([key, values]) => {
      const got = inner?.[op]?.[key];
      const allowed = [values].flat();
      return got !== undefined && [got].flat().every((v) => allowed.includes(v));
    }),
  );
/** Statements of `policy` not covered by the boundary, as "Sid: action on resource". */
function uncovered(boundary: PolicyDocument, policy: PolicyDocument): string[] {
  return policy.Statement.flatMap((s) =>
    s.Action.flatMap((action) =>
      resourcesOf(s)
        .filter((resource) => !boundary.Statement.some((b) => b.Action.includes(action) && resourcesOf(b).some((p) => matches(p, resource)) && conditionWithin(b.Condition, s.Condition)))
        .map((resource) => `${s.Sid}: ${action} on ${resource}`),
    ),
  );
}
const rolePolicy = (run: OfflineRun, name: string) =>
  run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === name)!.inputs.policy as PolicyDocument;

describe("the stack roles' permissions boundary", () => {
  it.each([
    ["dev", {}],
    ["dev", { "openclaw:openclaw_image": "123456789012.dkr.ecr.me-central-1.amazonaws.com/team/openclaw:2026.1.1" }],
    ["prod", { "openclaw:kms_key": "aws-managed" }],
  ])("covers everything the stack's instance and DLM roles are granted (stack %s, %j)", async (stack, config) => {
    const run = await runStack({ stack, config });
    const boundary = stackBoundaryPolicy(scope(["dev", "prod"]));
    for (const name of ["openclaw-instance", "openclaw-dlm"]) expect(uncovered(boundary, rolePolicy(run, name)), name).toEqual([]);
  });

  it("does not cover another stack's resources", async () => {
    const run = await runStack({ stack: "prod" });
    const uncoveredForDev = uncovered(stackBoundaryPolicy(scope(["dev"])), rolePolicy(run, "openclaw-instance"));
    expect(uncoveredForDev).toEqual(expect.arrayContaining([
      "ReadDotenvParameter: ssm:GetParameter on arn:aws:ssm:me-central-1:123456789012:parameter/openclaw/prod/env",
      "ReadWriteBackupPrefix: s3:PutObject on arn:aws:s3:::openclaw-prod-123456789012-me-central-1/prod/*",
    ]));
  });

  it("grants no IAM, STS or KMS key management, nothing on *, beyond what the instance's agents need", () => {
    const boundary = stackBoundaryPolicy(scope(["dev", "prod", "staging"]));
    const actions = boundary.Statement.flatMap((s) => s.Action);
    expect(actions.filter((a) => /^(iam|sts|organizations|kms):/.test(a))).toEqual(["kms:Decrypt"]);
    for (const a of actions) expect(a).not.toContain("*");
    const onStar = boundary.Statement.filter((s) => resourcesOf(s).includes("*") && !s.Condition).flatMap((s) => s.Action);
    for (const a of onStar) expect(a).toMatch(/^(ssmmessages|ec2messages):|^ecr:GetAuthorizationToken$|^ec2:Describe/);
    expect(policySize(boundary)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
  });

  it("is the ARN the deploy role's role writes require, named outside the names the deploy role may write", () => {
    const arn = stackBoundaryArn(scope(["dev"]));
    expect(arn).toBe(`arn:aws:iam::123456789012:policy/${STACK_BOUNDARY_NAME}`);
    const deploy = renderPolicy(loadPermissions(), "deploy", scope(["dev"])).Statement;
    expect(deploy.filter((s) => s.Action.includes("iam:CreateRole")).map((s) => s.Condition)).toEqual([
      { StringLike: { "iam:PermissionsBoundary": arn } },
    ]);
    const iamWrites = deploy.filter((s) => s.Action.some((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a)));
    for (const s of iamWrites) for (const r of resourcesOf(s)) expect(matches(r, arn), r).toBe(false);
  });
});
