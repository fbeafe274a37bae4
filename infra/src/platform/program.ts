import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { defaultStateBucketName, PlatformSettings } from "./config";
import { STACK_BOUNDARY_NAME, stackBoundaryPolicy } from "./boundary";
import { loadPermissions, Operation, PermissionScope, RoleName, renderPolicy } from "./permissions";
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

  const backend: StateBackend | undefined = settings.stateBackend
    ? createStateBackend(settings.stateBucketName ?? defaultStateBucketName(account.accountId, settings.region), settings.region, tags)
    : undefined;

  const scopeOf = (bucket?: string, keyArn?: string): PermissionScope => ({
    partition: account.partition,
    region: settings.region,
    account: account.accountId,
    stacks: settings.stacks,
    stateBackend: bucket !== undefined && keyArn !== undefined ? { bucket, keyArn } : undefined,
  });
  const policyOf = (role: RoleName) =>
    backend
      ? pulumi.all([backend.bucket.bucket, backend.key.arn]).apply(([bucket, keyArn]) => JSON.stringify(renderPolicy(operations, role, scopeOf(bucket, keyArn))))
      : JSON.stringify(renderPolicy(operations, role, scopeOf()));

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
    new aws.iam.RolePolicy(ROLE_NAMES[name], { role: created.id, policy: policyOf(name) });
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
