import * as aws from "@pulumi/aws";
import { assumeRolePolicy, dlmPolicy, instancePolicy, PolicyScope } from "../policies";

/**
 * The ARN of permissions_boundary (a managed policy name in the stack's account, by default the platform's
 * openclaw-stack-boundary): the platform's deploy role may create and change these roles only with it attached.
 */
export const boundaryArn = (scope: Pick<PolicyScope, "partition" | "accountId">, policyName: string | undefined) =>
  policyName === undefined ? undefined : `arn:${scope.partition}:iam::${scope.accountId}:policy/${policyName}`;

/**
 * Inline policies only: AWS-managed ones (e.g. AmazonSSMManagedInstanceCore) allow ssm:GetParameter
 * on every parameter and other unscoped actions that this stack can narrow down.
 */
export function createInstanceRole(scope: PolicyScope, tags: Record<string, string>, permissionsBoundary?: string) {
  const role = new aws.iam.Role("openclaw-instance", {
    description: `OpenClaw instance of stack ${scope.stack}`,
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("ec2.amazonaws.com")),
    permissionsBoundary,
    tags,
  });
  const policy = new aws.iam.RolePolicy("openclaw-instance", {
    role: role.id,
    policy: JSON.stringify(instancePolicy(scope)),
  });
  const profile = new aws.iam.InstanceProfile("openclaw-instance", { role: role.name, tags });
  return { role, policy, profile };
}

export function createDlmRole(scope: PolicyScope, tags: Record<string, string>, drRegion?: string, permissionsBoundary?: string) {
  const role = new aws.iam.Role("openclaw-dlm", {
    description: `DLM snapshots of the OpenClaw data volume of stack ${scope.stack}`,
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("dlm.amazonaws.com")),
    permissionsBoundary,
    tags,
  });
  const policy = new aws.iam.RolePolicy("openclaw-dlm", {
    role: role.id,
    policy: JSON.stringify(dlmPolicy(scope, drRegion)),
  });
  return { role, policy };
}
