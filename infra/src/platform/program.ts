import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultStateBucketName, PlatformSettings } from "./config";
import { STACK_BOUNDARY_NAME, stackBoundaryPolicy } from "./boundary";
import type { PolicyDocument } from "../policies";
import { loadPermissions, MANAGED_POLICY_LIMIT, Operation, PermissionScope, RoleName, renderPolicy, splitPolicy } from "./permissions";
import { createStateBackend, StateBackend } from "./stateBackend";
import { environmentSubject, GITHUB_OIDC_HOST, githubTrustPolicy, pullRequestSubject, STS_AUDIENCE } from "./trust";

/** Fixed names: outside the openclaw-instance-* / openclaw-dlm-* names the deploy role may change. */
export const ROLE_NAMES: Record<RoleName, string> = { preview: "openclaw-github-preview", deploy: "openclaw-github-deploy" };

/** Seconds: a destroy waits up to 90 minutes for the final snapshot (destroy.yml); previews are short. */
export const SESSION_SECONDS: Record<RoleName, number> = { preview: 3600, deploy: 7200 };

export interface PlatformOutputs {
  region: string;
  github_repo: string;
  github_environment: string;
  stacks: string[];
  oidc_provider_arn: pulumi.Output<string> | string;
  preview_role_arn: pulumi.Output<string>;
  deploy_role_arn: pulumi.Output<string>;
  /** The permissions boundary the deploy role must attach to every role it creates (infra/src/platform/boundary.ts). */
  stack_boundary_arn: pulumi.Output<string>;
  pulumi_backend_url?: pulumi.Output<string>;
  secrets_provider?: pulumi.Output<string>;
}

export interface PlatformAccount {
  accountId: string;
  partition: string;
}

export function buildPlatform(settings: PlatformSettings, account: PlatformAccount, operations: Operation[] = loadPermissions()): PlatformOutputs {
  const tags = { ManagedBy: "pulumi", OpenClawPlatform: "true" };
  const providerArn: pulumi.Input<string> =
    settings.oidcProviderArn ??
    new aws.iam.OpenIdConnectProvider("github", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdLists: [STS_AUDIENCE],
      tags,
    }).arn;

  // Named before it is created: the roles' policies (and their split into parts) need the name, not the bucket.
  const stateBucket = settings.stateBackend ? (settings.stateBucketName ?? defaultStateBucketName(account.accountId, settings.region)) : undefined;
  const backend: StateBackend | undefined = stateBucket ? createStateBackend(stateBucket, settings.region, tags) : undefined;

  const scopeOf = (bucket?: string, keyArn?: string): PermissionScope => ({
    partition: account.partition,
    region: settings.region,
    account: account.accountId,
    stacks: settings.stacks,
    stateBackend: bucket !== undefined && keyArn !== undefined ? { bucket, keyArn } : undefined,
  });
  const policyOf = (role: RoleName): pulumi.Output<PolicyDocument> =>
    backend
      ? backend.key.arn.apply((keyArn) => renderPolicy(operations, role, scopeOf(stateBucket, keyArn)))
      : pulumi.output(renderPolicy(operations, role, scopeOf()));

  // IAM holds 10,240 characters of inline policy per role, and the deploy role's grows with each stack; managed
  // policies hold 6,144 each (ten per role). The split is known before the state key exists: its ARN differs from this
  // one only in the key id, which has a fixed length, so each part's size is the same.
  const partsOf = (role: RoleName) => {
    const sameLengthKey = `arn:${account.partition}:kms:${settings.region}:${account.accountId}:key/00000000-0000-0000-0000-000000000000`;
    return splitPolicy(renderPolicy(operations, role, scopeOf(stateBucket, sameLengthKey)), MANAGED_POLICY_LIMIT).map(
      (part) => part.Statement.length,
    );
  };

  // Before the roles: the deploy role's IAM writes require it as the boundary, and its name is outside what they reach.
  const boundary = new aws.iam.Policy(STACK_BOUNDARY_NAME, {
    name: STACK_BOUNDARY_NAME,
    description: "Permissions boundary of the OpenClaw stacks' instance and DLM roles: the most they may ever do",
    policy: JSON.stringify(stackBoundaryPolicy(scopeOf())),
    tags,
  });

  const role = (name: RoleName, subject: string, description: string) => {
    const created = new aws.iam.Role(ROLE_NAMES[name], {
      name: ROLE_NAMES[name],
      description,
      assumeRolePolicy: pulumi.output(providerArn).apply((arn) => JSON.stringify(githubTrustPolicy(arn, subject))),
      maxSessionDuration: SESSION_SECONDS[name],
      tags,
    });
    const document = policyOf(name);
    let first = 0;
    partsOf(name).forEach((count, i) => {
      const from = first;
      first += count;
      const partName = `${ROLE_NAMES[name]}-${i + 1}`;
      const policy = new aws.iam.Policy(partName, {
        name: partName,
        description: `Part ${i + 1} of what ${ROLE_NAMES[name]} may do (infra/platform/permissions.yaml)`,
        policy: document.apply((d) => JSON.stringify({ Version: d.Version, Statement: d.Statement.slice(from, from + count) })),
        tags,
      });
      new aws.iam.RolePolicyAttachment(partName, { role: created.name, policyArn: policy.arn });
    });
    return created;
  };

  const preview = role(
    "preview",
    pullRequestSubject(settings.githubRepo),
    `Read-only: pull request previews of ${settings.githubRepo}`,
  );
  const deploy = role(
    "deploy",
    environmentSubject(settings.githubRepo, settings.githubEnvironment),
    `Deploy and destroy from ${settings.githubRepo}, environment ${settings.githubEnvironment}`,
  );

  return {
    region: settings.region,
    github_repo: settings.githubRepo,
    github_environment: settings.githubEnvironment,
    stacks: settings.stacks,
    oidc_provider_arn: providerArn as pulumi.Output<string> | string,
    preview_role_arn: preview.arn,
    deploy_role_arn: deploy.arn,
    stack_boundary_arn: boundary.arn,
    ...(backend ? { pulumi_backend_url: backend.backendUrl, secrets_provider: backend.secretsProvider } : {}),
  };
}

export async function platformAccount(): Promise<PlatformAccount> {
  const [identity, partition] = await Promise.all([aws.getCallerIdentity(), aws.getPartition()]);
  return { accountId: identity.accountId, partition: partition.partition };
}
