/**
 * The permissions source (infra/platform/permissions.yaml) read, checked and rendered into IAM policy documents:
 * the GitHub roles' policies, the operator policy and docs/permissions.md all come from here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { PolicyDocument, Statement } from "../policies";
import { stackBoundaryArn } from "./boundary";

export const PERMISSIONS_FILE = path.resolve(__dirname, "..", "..", "platform", "permissions.yaml");

export const ROLES = ["preview", "deploy"] as const;
export type RoleName = (typeof ROLES)[number];
/** preview and deploy are the GitHub roles; operator (a human) gets every operation. */
export type PolicyAudience = RoleName | "operator";

export type Condition = Record<string, Record<string, string | string[]>>;

export interface PermissionStatement {
  actions: string[];
  resources: string[];
  condition?: Condition;
  /** Required when a resource is `*`: why AWS allows nothing narrower. */
  why?: string;
}

export interface Operation {
  id: string;
  what: string;
  /** Who calls AWS: the runbook's C# code (its calls are checked against the fake AWS) or pulumi and its provider. */
  caller: "runbook" | "pulumi";
  targets: string[];
  roles: RoleName[];
  /** Pulumi resource types of the stack this operation creates, changes and deletes. */
  pulumi_types?: string[];
  /** Present only when the platform creates the Pulumi state backend. */
  state_backend?: boolean;
  statements: PermissionStatement[];
}

export interface PermissionScope {
  partition: string;
  region: string;
  account: string;
  /** The stacks (OpenClawStack values) the policies serve. */
  stacks: string[];
  stateBackend?: { bucket: string; keyArn: string };
}

/** A specific action, or a read-only wildcard (Describe*, Get*, List*, or narrower like GetBucket*): nothing else may carry a `*`. */
const ACTION = /^[a-z0-9-]+:(?:[A-Za-z0-9]+|(?:Describe|Get|List)[A-Za-z0-9]*\*)$/;
const PLACEHOLDERS = ["partition", "region", "account", "stack", "stacks", "state_bucket", "state_key", "stack_boundary"];

/**
 * Role writes that set what a role may do: granted only on condition that the role has the platform's permissions
 * boundary ({stack_boundary}, infra/src/platform/boundary.ts), so no role the deploy role writes can do more than it.
 */
export const BOUNDED_ROLE_WRITES = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy"];
/** Never granted: they would remove or replace the boundary, or let a role trust someone else than its service. */
export const NEVER_GRANTED = ["iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy"];
export const BOUNDARY_CONDITION_KEY = "iam:PermissionsBoundary";

/** Reads and checks the permissions source; every problem is reported at once. */
export function loadPermissions(file = PERMISSIONS_FILE): Operation[] {
  const doc = parse(fs.readFileSync(file, "utf8")) as { operations?: Operation[] };
  const operations = doc?.operations ?? [];
  const problems = permissionProblems(operations);
  if (problems.length > 0) throw new Error(`${file}:\n  - ${problems.join("\n  - ")}`);
  return operations;
}

export function permissionProblems(operations: Operation[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  if (operations.length === 0) problems.push("no operations");
  for (const op of operations) {
    const where = `operation ${op.id ?? "(no id)"}`;
    if (!op.id || ids.has(op.id)) problems.push(`${where}: needs a unique id`);
    ids.add(op.id);
    if (!op.what) problems.push(`${where}: needs a 'what'`);
    if (op.caller !== "runbook" && op.caller !== "pulumi") problems.push(`${where}: caller must be runbook or pulumi`);
    if (!Array.isArray(op.targets) || op.targets.length === 0) problems.push(`${where}: needs the targets that use it`);
    if (!Array.isArray(op.roles) || op.roles.some((r) => !(ROLES as readonly string[]).includes(r))) {
      problems.push(`${where}: roles must be among ${ROLES.join(", ")}`);
    }
    if (op.roles?.includes("preview") && op.statements?.some((s) => s.actions.some(isWrite))) {
      problems.push(`${where}: the preview role is read-only, but the operation has write actions`);
    }
    for (const [i, s] of (op.statements ?? []).entries()) {
      const at = `${where}, statement ${i + 1}`;
      for (const action of s.actions ?? []) if (!ACTION.test(action)) problems.push(`${at}: action ${action} is not a service:Action (wildcards only as Describe*/Get*/List*)`);
      if (!s.resources?.length) problems.push(`${at}: needs resources`);
      for (const action of s.actions ?? []) {
        if (NEVER_GRANTED.includes(action)) problems.push(`${at}: ${action} is never granted (it could remove the stack roles' permissions boundary or open their trust)`);
        if (BOUNDED_ROLE_WRITES.includes(action) && s.condition?.StringLike?.[BOUNDARY_CONDITION_KEY] !== "{stack_boundary}") {
          problems.push(`${at}: ${action} needs condition StringLike ${BOUNDARY_CONDITION_KEY}: "{stack_boundary}"`);
        }
      }
      if (s.resources?.includes("*") && !s.why) problems.push(`${at}: resource * needs a 'why' (AWS allows nothing narrower)`);
      if (s.resources?.includes("*") && s.actions.some(isWrite) && !JSON.stringify(s.condition ?? {}).includes("aws:RequestTag/")) {
        problems.push(`${at}: resource * with a write action (only creations conditioned on aws:RequestTag may)`);
      }
      for (const text of [...(s.resources ?? []), JSON.stringify(s.condition ?? {})]) {
        for (const [, name] of text.matchAll(/\{([a-z_]+)\}/g)) {
          if (!PLACEHOLDERS.includes(name)) problems.push(`${at}: unknown placeholder {${name}}`);
          if (name.startsWith("state_") && !op.state_backend) problems.push(`${at}: {${name}} outside a state_backend operation`);
        }
      }
    }
    if (!op.statements?.length) problems.push(`${where}: needs statements`);
  }
  return problems;
}

/** Reads that are not named Describe, Get or List: decrypting the state's data key changes nothing. */
const READS_BY_OTHER_NAMES = ["kms:Decrypt"];

/** Read-only by name: what AWS calls Describe, Get and List (sts:GetCallerIdentity included). */
export function isWrite(action: string): boolean {
  return !/^[a-z0-9-]+:(Describe|Get|List)/.test(action) && !READS_BY_OTHER_NAMES.includes(action);
}

/** The operations a role gets (the operator gets all); state backend operations only when there is one. */
export function operationsFor(operations: Operation[], audience: PolicyAudience, scope: Pick<PermissionScope, "stateBackend">): Operation[] {
  return operations.filter(
    (op) => (audience === "operator" || op.roles.includes(audience)) && (!op.state_backend || scope.stateBackend !== undefined),
  );
}

/**
 * The IAM policy of a role: statements with the same resources and condition merged (named after the operations
 * they serve), actions covered by a wildcard of the same statement dropped. `sids: false` saves the characters a
 * managed policy is short of.
 */
export function renderPolicy(
  operations: Operation[],
  audience: PolicyAudience,
  scope: PermissionScope,
  options: { sids?: boolean } = {},
): PolicyDocument {
  const groups = new Map<string, { ops: string[]; actions: Set<string>; resources: string[]; condition?: Condition }>();
  for (const op of operationsFor(operations, audience, scope)) {
    for (const s of op.statements) {
      const resources = [...new Set(s.resources.flatMap((r) => expand(r, scope)))].sort();
      const condition = s.condition ? expandCondition(s.condition, scope) : undefined;
      const key = JSON.stringify([resources, condition ?? null]);
      let group = groups.get(key);
      if (!group) {
        group = { ops: [], actions: new Set(), resources, condition };
        groups.set(key, group);
      }
      if (!group.ops.includes(op.id)) group.ops.push(op.id);
      for (const action of s.actions) group.actions.add(action);
    }
  }
  const sids = new Map<string, number>();
  const statements: Statement[] = [...groups.values()].map((g) => {
    const actions = [...g.actions];
    const kept = actions.filter((a) => !actions.some((w) => w !== a && w.endsWith("*") && a.startsWith(w.slice(0, -1))));
    const name = g.ops.map(pascal).join("");
    const seen = (sids.get(name) ?? 0) + 1;
    sids.set(name, seen);
    return {
      ...(options.sids === false ? {} : { Sid: seen === 1 ? name : `${name}${seen}` }),
      Effect: "Allow",
      Action: kept.sort(),
      Resource: g.resources.length === 1 ? g.resources[0] : g.resources,
      ...(g.condition ? { Condition: g.condition } : {}),
    } as Statement;
  });
  return { Version: "2012-10-17", Statement: statements };
}

/** Every action a role is granted (before merging), for cross-checks. */
export function grantedActions(operations: Operation[], audience: PolicyAudience): string[] {
  return [...new Set(operationsFor(operations, audience, { stateBackend: { bucket: "", keyArn: "" } }).flatMap((op) => op.statements.flatMap((s) => s.actions)))].sort();
}

const fillText = (text: string, scope: PermissionScope) =>
  text
    .replaceAll("{stack_boundary}", stackBoundaryArn(scope))
    .replaceAll("{partition}", scope.partition)
    .replaceAll("{region}", scope.region)
    .replaceAll("{account}", scope.account)
    .replaceAll("{state_bucket}", scope.stateBackend?.bucket ?? "{state_bucket}")
    .replaceAll("{state_key}", scope.stateBackend?.keyArn ?? "{state_key}");

function expand(pattern: string, scope: PermissionScope): string[] {
  const fill = (text: string) => fillText(text, scope);
  return pattern.includes("{stack}") ? scope.stacks.map((stack) => fill(pattern.replaceAll("{stack}", stack))) : [fill(pattern)];
}

function expandCondition(condition: Condition, scope: PermissionScope): Condition {
  return Object.fromEntries(
    Object.entries(condition).map(([operator, entries]) => [
      operator,
      Object.fromEntries(
        Object.entries(entries).map(([key, value]) => [
          key,
          value === "{stacks}" ? [...scope.stacks] : typeof value === "string" ? fillText(value, scope) : value,
        ]),
      ),
    ]),
  );
}

const pascal = (id: string) => id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("");

/** IAM's size rule: characters not counting whitespace. */
export const policySize = (document: PolicyDocument) => JSON.stringify(document).replace(/\s/g, "").length;

/** IAM quotas: the characters of one customer managed policy, and how many managed policies a role may have attached. */
export const MANAGED_POLICY_LIMIT = 6144;
export const MANAGED_POLICIES_PER_ROLE = 10;

/** Splits a policy into documents of at most `limit` characters each (statements kept whole, in order). */
export function splitPolicy(document: PolicyDocument, limit: number): PolicyDocument[] {
  const parts: PolicyDocument[] = [];
  for (const statement of document.Statement) {
    const last = parts[parts.length - 1];
    if (last && policySize({ ...last, Statement: [...last.Statement, statement] }) <= limit) last.Statement.push(statement);
    else parts.push({ Version: document.Version, Statement: [statement] });
  }
  return parts;
}
