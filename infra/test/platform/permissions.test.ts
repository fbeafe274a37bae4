import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { Statement } from "../../src/policies";
import {
  BOUNDED_ROLE_WRITES,
  isWrite,
  NEVER_GRANTED,
  loadPermissions,
  MANAGED_POLICY_LIMIT,
  Operation,
  permissionProblems,
  PermissionScope,
  policySize,
  renderPolicy,
  MANAGED_POLICIES_PER_ROLE,
  splitPolicy,
} from "../../src/platform/permissions";
import { PERMISSIONS_DOC, renderPermissionsDoc } from "../../src/platform/permissionsDoc";
import { operatorPolicy } from "../../src/platform/offline";
import { ROLE_NAMES } from "../../src/platform/program";
import { restoreMocks, runStack } from "../support/stacks";

const operations = loadPermissions();
const backend = { bucket: "pulumi-state-openclaw-123456789012-me-central-1", keyArn: "arn:aws:kms:me-central-1:123456789012:key/0000aaaa-bb11-4c22-8d33-eeeeffff0000" };
const scope = (stacks = ["dev"], withBackend = true): PermissionScope => ({
  partition: "aws",
  region: "me-central-1",
  account: "123456789012",
  stacks,
  stateBackend: withBackend ? backend : undefined,
});
const statementsOf = (role: "preview" | "deploy", s = scope()) => renderPolicy(operations, role, s).Statement;
const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource!]);
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => s.Action);
/** IAM's wildcard match, enough for ARNs: `*` is any run of characters. */
const matches = (pattern: string, arn: string) =>
  new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, "\\$&")).join(".*")}$`).test(arn);

describe("the permissions source", () => {
  it("loads without problems and names what each operation is for", () => {
    expect(operations.length).toBeGreaterThan(10);
    expect(permissionProblems(operations)).toEqual([]);
  });

  it("refuses a * resource without a reason, a write on *, a write wildcard and a write for the preview role", () => {
    const bad: Operation = {
      id: "bad",
      what: "x",
      caller: "runbook",
      targets: ["Deploy"],
      roles: ["preview"],
      statements: [
        { actions: ["ec2:DescribeVolumes"], resources: ["*"] },
        { actions: ["ec2:DeleteVolume"], resources: ["*"], why: "no" },
        { actions: ["s3:Put*", "ec2:*"], resources: ["arn:{partition}:s3:::{stack}"] },
        { actions: ["ec2:DescribeVolumes"], resources: ["arn:{nope}"] },
      ],
    };
    const problems = permissionProblems([bad]).join("\n");
    expect(problems).toContain("statement 1: resource * needs a 'why'");
    expect(problems).toContain("statement 2: resource * with a write action");
    expect(problems).toContain("action s3:Put* is not a service:Action");
    expect(problems).toContain("action ec2:* is not a service:Action");
    expect(problems).toContain("the preview role is read-only, but the operation has write actions");
    expect(problems).toContain("unknown placeholder {nope}");
  });

  it("refuses a role write without the permissions boundary condition, and the actions that would lift it", () => {
    const bad: Operation = {
      id: "bad",
      what: "x",
      caller: "pulumi",
      targets: ["Deploy"],
      roles: ["deploy"],
      statements: [
        { actions: ["iam:CreateRole", "iam:PutRolePolicy"], resources: ["arn:{partition}:iam::{account}:role/openclaw-instance-*"] },
        { actions: ["iam:DeleteRolePolicy"], resources: ["arn:{partition}:iam::{account}:role/openclaw-instance-*"], condition: { StringLike: { "iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/other" } } },
        { actions: ["iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"], resources: ["arn:{partition}:iam::{account}:role/openclaw-instance-*"] },
      ],
    };
    const problems = permissionProblems([bad]).join("\n");
    expect(problems).toContain("statement 1: iam:CreateRole needs condition StringLike iam:PermissionsBoundary");
    expect(problems).toContain("statement 1: iam:PutRolePolicy needs condition");
    expect(problems).toContain("statement 2: iam:DeleteRolePolicy needs condition");
    for (const never of NEVER_GRANTED) expect(problems).toContain(`statement 3: ${never} is never granted`);
  });

  it("docs/permissions.md is generated from it (run `npm run permissions` after changing the source)", () => {
    expect(fs.readFileSync(PERMISSIONS_DOC, "utf8")).toBe(renderPermissionsDoc(operations));
  });

  it("manages every resource type the stack registers, each in exactly one operation, and no type the stack does not have", async () => {
    const runs = [
      await runStack(),
      await runStack({ config: { "openclaw:data_volume_snapshot_id": "snap-0123456789abcdef0", "openclaw:alert_email": "ops@example.com" }, mocks: restoreMocks({ OpenClawStack: "dev", OpenClawData: "true", OpenClawAz: "me-central-1a" }) }),
      await runStack({ config: { "openclaw:dr_region": "eu-central-1" } }),
    ];
    const registered = new Set(runs.flatMap((run) => run.resources.map((r) => r.type)));
    const managed = operations.flatMap((op) => (op.pulumi_types ?? []).map((type) => ({ type, op: op.id })));
    for (const type of registered) {
      expect(managed.filter((m) => m.type === type).map((m) => m.op), `${type}: add it to one operation's pulumi_types`).toHaveLength(1);
    }
    for (const { type, op } of managed) expect(registered, `${op} lists ${type}, which the stack no longer registers`).toContain(type);
  });

  it("the stack's IAM roles and instance profile fall under the names the deploy role may change", async () => {
    const run = await runStack();
    const deploy = statementsOf("deploy");
    const patterns = {
      role: deploy.filter((s) => s.Action.includes("iam:PutRolePolicy")).flatMap(resourcesOf),
      "instance-profile": deploy.filter((s) => s.Action.includes("iam:AddRoleToInstanceProfile")).flatMap(resourcesOf),
    };
    const iam = run.resources.filter((r) => r.type === "aws:iam/role:Role" || r.type === "aws:iam/instanceProfile:InstanceProfile");
    expect(iam.length).toBeGreaterThan(0);
    for (const r of iam) {
      // No name input: Pulumi names it <logical name>-<7 random characters>.
      expect(r.inputs.name).toBeUndefined();
      const kind = r.type === "aws:iam/role:Role" ? "role" : "instance-profile";
      const arn = `arn:aws:iam::123456789012:${kind}/${r.name}-a1b2c3d`;
      expect(patterns[kind].some((p) => matches(p, arn)), `${arn} is outside ${patterns[kind].join(", ")}`).toBe(true);
    }
  });
});

describe("the rendered role policies", () => {
  const audiences = [
    ["preview", statementsOf("preview")],
    ["deploy", statementsOf("deploy")],
    ["operator", operatorPolicy(["dev"], backend).Statement],
  ] as const;

  it.each(audiences)("%s: no * action outside Describe*/Get*/List*, and * resources only for reads", (_, statements) => {
    for (const s of statements) {
      for (const action of s.Action) expect(action).toMatch(/^[a-z0-9-]+:([A-Za-z0-9]+|(Describe|Get|List)[A-Za-z0-9]*\*)$/);
      // Writes on * only for creations that must tag what they create with a stack (kms:CreateKey).
      if (resourcesOf(s).includes("*") && !JSON.stringify(s.Condition ?? {}).includes("aws:RequestTag/OpenClawStack")) {
        expect(s.Action.filter(isWrite), s.Sid).toEqual([]);
      }
    }
  });

  it("neither GitHub role can read or write the secrets parameter or read the logs; only deploy runs commands, AWS-RunShellScript on the stack's instance", () => {
    for (const role of ["preview", "deploy"] as const) {
      const actions = actionsOf(statementsOf(role));
      for (const never of ["ssm:GetParameter", "ssm:PutParameter", "logs:FilterLogEvents", "ssm:StartSession"]) expect(actions, role).not.toContain(never);
    }
    expect(actionsOf(statementsOf("preview"))).not.toContain("ssm:SendCommand");
    // The backup before Destroy's snapshot: Run Command on the stack-tagged instance with the one shell document, nothing else.
    const sendCommand = statementsOf("deploy").filter((s) => s.Action.includes("ssm:SendCommand"));
    expect(sendCommand.map((s) => [resourcesOf(s), s.Condition])).toEqual([
      [["arn:aws:ec2:me-central-1:123456789012:instance/*"], { StringEquals: { "aws:ResourceTag/OpenClawStack": ["dev"] } }],
      [["arn:aws:ssm:me-central-1::document/AWS-RunShellScript"], undefined],
    ]);
    expect(actionsOf(operatorPolicy(["dev"]).Statement)).toContain("ssm:SendCommand");
  });

  it("preview is read-only: no write action at all, so no IAM write and no PassRole", () => {
    const actions = actionsOf(statementsOf("preview"));
    expect(actions.filter(isWrite)).toEqual([]);
    expect(actions).not.toContain("iam:PassRole");
    expect(actions.some((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a))).toBe(false);
  });

  it("preview cannot read the backups: no object read on the stack's bucket", () => {
    const onBackupBucket = statementsOf("preview").filter((s) => resourcesOf(s).some((r) => r.includes(":s3:::openclaw-")));
    expect(onBackupBucket.length).toBeGreaterThan(0);
    for (const s of onBackupBucket) for (const a of s.Action) expect(a).not.toMatch(/^s3:(Get\*|GetObject)/);
  });

  it("deploy passes roles only to EC2 and DLM, and only the stack's", () => {
    const passRole = statementsOf("deploy").filter((s) => s.Action.includes("iam:PassRole"));
    expect(passRole.map((s) => [s.Action, s.Condition, s.Resource])).toEqual([
      [["iam:PassRole"], { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }, "arn:aws:iam::123456789012:role/openclaw-instance-*"],
      [["iam:PassRole"], { StringEquals: { "iam:PassedToService": "dlm.amazonaws.com" } }, "arn:aws:iam::123456789012:role/openclaw-dlm-*"],
    ]);
  });

  it("deploy's IAM writes reach only the stack's role and profile names, never the platform's own roles, users or policies", () => {
    const iamWrites = statementsOf("deploy").filter((s) => s.Action.some((a) => a.startsWith("iam:") && isWrite(a)));
    const allowed = [
      "arn:aws:iam::123456789012:role/openclaw-instance-*",
      "arn:aws:iam::123456789012:role/openclaw-dlm-*",
      "arn:aws:iam::123456789012:instance-profile/openclaw-instance-*",
      "arn:aws:iam::123456789012:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot",
    ];
    for (const s of iamWrites) for (const r of resourcesOf(s)) expect(allowed).toContain(r);
    for (const own of Object.values(ROLE_NAMES)) {
      for (const s of iamWrites) for (const r of resourcesOf(s)) expect(matches(r, `arn:aws:iam::123456789012:role/${own}`)).toBe(false);
    }
    const actions = actionsOf(statementsOf("deploy"));
    for (const never of ["iam:AttachRolePolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:CreateUser", "iam:PutUserPolicy", "iam:CreateAccessKey"]) {
      expect(actions).not.toContain(never);
    }
  });

  it.each(audiences)("%s: every role create and policy write carries the stack boundary condition", (audience, statements) => {
    const account = audience === "operator" ? "*" : "123456789012";
    const bounded = statements.filter((s) => s.Action.some((a) => BOUNDED_ROLE_WRITES.includes(a)));
    if (audience !== "preview") expect(bounded.length).toBeGreaterThan(0);
    for (const s of bounded) {
      expect(s.Condition, s.Sid).toEqual({ StringLike: { "iam:PermissionsBoundary": `arn:aws:iam::${account}:policy/openclaw-stack-boundary` } });
      for (const r of resourcesOf(s)) expect([`arn:aws:iam::${account}:role/openclaw-instance-*`, `arn:aws:iam::${account}:role/openclaw-dlm-*`]).toContain(r);
    }
  });

  it.each(audiences)("%s: never PutRolePermissionsBoundary, DeleteRolePermissionsBoundary or UpdateAssumeRolePolicy", (_, statements) => {
    const actions = actionsOf(statements);
    for (const never of NEVER_GRANTED) expect(actions).not.toContain(never);
    expect(actions.some((a) => /^iam:(\*|Put\*|Update\*|Delete\*)/.test(a))).toBe(false);
  });

  it.each(audiences)("%s: no CreateTags on a condition of request tags alone (tagging someone else's resource into a stack)", (_, statements) => {
    const tagging = statements.filter((s) => s.Action.some((a) => a === "ec2:CreateTags" || a === "kms:TagResource"));
    for (const s of tagging) {
      const keys = Object.values(s.Condition ?? {}).flatMap((entries) => Object.keys(entries));
      expect(keys.some((k) => k === "ec2:CreateAction" || k.startsWith("aws:ResourceTag/")), `${s.Sid}: ${JSON.stringify(s.Condition)}`).toBe(true);
    }
  });

  it("deploy tags EC2 resources only on the stack's creates, or updates tags of the stack's resources without moving them", () => {
    const tagging = statementsOf("deploy", scope(["dev", "prod"])).filter((s) => s.Action.includes("ec2:CreateTags"));
    const onCreate = tagging.find((s) => resourcesOf(s).includes("arn:aws:ec2:me-central-1:123456789012:*") && s.Condition?.StringEquals?.["ec2:CreateAction"]);
    expect(onCreate?.Condition?.StringEquals).toMatchObject({ "aws:RequestTag/OpenClawStack": ["dev", "prod"] });
    expect(onCreate?.Condition?.StringEquals["ec2:CreateAction"]).toEqual(expect.arrayContaining(["RunInstances", "CreateVolume", "CreateVpc"]));
    const onUpdate = tagging.find((s) => s.Condition?.StringEquals?.["aws:ResourceTag/OpenClawStack"]);
    expect(onUpdate?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/OpenClawStack": ["dev", "prod"] },
      "ForAllValues:StringNotEquals": { "aws:TagKeys": ["OpenClawStack"] },
    });
    expect(onUpdate?.Action).toEqual(["ec2:CreateTags"]);
  });

  it("deploy tags KMS keys only when creating a stack's key or on a stack's keys, and creates keys only tagged", () => {
    const statements = statementsOf("deploy", scope(["dev", "prod"]));
    const tagging = statements.filter((s) => s.Action.some((a) => a === "kms:TagResource" || a === "kms:UntagResource"));
    expect(tagging.map((s) => [s.Action, s.Resource, s.Condition])).toEqual([
      [["kms:TagResource"], "arn:aws:kms:*:123456789012:key/*", { StringEquals: { "aws:RequestTag/OpenClawStack": ["dev", "prod"] }, StringEqualsIfExists: { "aws:ResourceTag/OpenClawStack": ["dev", "prod"] }, Null: { "aws:ResourceTag/OpenClawPlatform": "true" } }],
      [["kms:TagResource", "kms:UntagResource"], "arn:aws:kms:*:123456789012:key/*", { StringEquals: { "aws:ResourceTag/OpenClawStack": ["dev", "prod"] }, "ForAllValues:StringNotEquals": { "aws:TagKeys": ["OpenClawStack"] } }],
    ]);
    const create = statements.filter((s) => s.Action.includes("kms:CreateKey"));
    expect(create.map((s) => [s.Action, s.Resource, s.Condition])).toEqual([[["kms:CreateKey"], "*", { StringEquals: { "aws:RequestTag/OpenClawStack": ["dev", "prod"] } }]]);
  });

  it("deploy restores a data volume only from a snapshot tagged with one of the stacks", () => {
    const fromSnapshot = statementsOf("deploy", scope(["dev", "prod"])).filter((s) => s.Action.includes("ec2:CreateVolume") && resourcesOf(s).some((r) => r.includes(":snapshot/")));
    expect(fromSnapshot.map((s) => [s.Resource, s.Condition])).toEqual([
      ["arn:aws:ec2:me-central-1::snapshot/*", { StringEquals: { "aws:ResourceTag/OpenClawStack": ["dev", "prod"] } }],
    ]);
  });

  it("deploy can create the stack's roles (with the boundary) and write their inline policies", () => {
    const actions = actionsOf(statementsOf("deploy"));
    for (const needed of ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:TagRole"]) expect(actions).toContain(needed);
  });

  it("deploy changes and deletes EC2 resources only when they carry one of the platform's stack tags", () => {
    const statements = statementsOf("deploy", scope(["dev", "prod"]));
    const changes = statements.filter((s) => s.Action.some((a) => a.startsWith("ec2:") && isWrite(a) && !/^ec2:(Create|CopySnapshot$|RunInstances$|CancelSpotInstanceRequests$)/.test(a)));
    expect(changes.length).toBeGreaterThan(0);
    for (const s of changes) expect(s.Condition, s.Sid).toEqual({ StringEquals: { "aws:ResourceTag/OpenClawStack": ["dev", "prod"] } });
  });

  it("deploy copies snapshots (Move) only into copies tagged with one of the platform's stacks", () => {
    const copy = statementsOf("deploy", scope(["dev", "prod"])).filter((s) => s.Action.includes("ec2:CopySnapshot"));
    expect(copy.length).toBeGreaterThan(0);
    for (const s of copy) expect(s.Condition).toEqual({ StringEquals: { "aws:RequestTag/OpenClawStack": ["dev", "prod"] } });
  });

  it("deploy cannot delete or overwrite backups: no object write on the stack's bucket", () => {
    const onBackupBucket = statementsOf("deploy").filter((s) => resourcesOf(s).some((r) => r.includes(":s3:::openclaw-")));
    for (const s of onBackupBucket) for (const a of s.Action) expect(a).not.toMatch(/^s3:(DeleteObject|PutObject|GetObject)/);
  });

  it("state backend permissions exist only with a state backend", () => {
    const without = JSON.stringify(renderPolicy(operations, "deploy", scope(["dev"], false)));
    expect(without).not.toContain("kms:GenerateDataKey\"");
    expect(without).not.toContain("s3:PutObject");
    expect(without).not.toContain("{state_");
    expect(actionsOf(statementsOf("preview"))).toContain("kms:Decrypt");
    expect(actionsOf(statementsOf("preview"))).not.toContain("s3:PutObject");
    expect(actionsOf(statementsOf("deploy"))).toEqual(expect.arrayContaining(["s3:PutObject", "kms:GenerateDataKey"]));
  });

  it("stays under IAM's size limits for three stacks with a state backend", () => {
    const three = scope(["dev", "prod", "staging"]);
    for (const role of ["preview", "deploy"] as const) {
      const parts = splitPolicy(renderPolicy(operations, role, three), MANAGED_POLICY_LIMIT);
      expect(parts.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
      for (const part of parts) expect(policySize(part)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    }
    for (const part of splitPolicy(operatorPolicy(three.stacks, backend), MANAGED_POLICY_LIMIT)) expect(policySize(part)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
  });
});
