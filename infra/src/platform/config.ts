import * as pulumi from "@pulumi/pulumi";

/** The platform's own Pulumi project (infra/platform/Pulumi.yaml); config keys are `openclaw-platform:<key>`. */
export const PLATFORM_PROJECT = "openclaw-platform";

export const PLATFORM_CONFIG_KEYS = [
  "github_repo",
  "github_environment",
  "stacks",
  "oidc_provider_arn",
  "state_backend",
  "state_bucket_name",
] as const;

/** The GitHub environment deploy.yml and destroy.yml run in (build/Build.Workflows.cs); the deploy role trusts only it. */
export const DEFAULT_GITHUB_ENVIRONMENT = "production";

export interface PlatformSettings {
  region: string;
  /** owner/name, exactly as GitHub spells it: the OIDC `sub` claim is compared case-sensitively. */
  githubRepo: string;
  githubEnvironment: string;
  /** The OpenClawStack names the roles may act on. */
  stacks: string[];
  /** Use the account's existing GitHub OIDC provider instead of creating one (an account has at most one per URL). */
  oidcProviderArn?: string;
  stateBackend: boolean;
  stateBucketName?: string;
}

const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const STACK = /^[A-Za-z0-9_.-]+$/;
const OIDC_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class PlatformConfigError extends pulumi.RunError {
  constructor(readonly problems: string[]) {
    super(`Invalid platform configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "PlatformConfigError";
  }
}

/** Validates the whole platform config at once (values as Pulumi passes them: strings). */
export function parsePlatformSettings(values: Record<string, string | undefined>, region: string | undefined): PlatformSettings {
  const problems: string[] = [];
  const key = (k: string) => `${PLATFORM_PROJECT}:${k}`;
  for (const k of Object.keys(values)) {
    if (!(PLATFORM_CONFIG_KEYS as readonly string[]).includes(k)) {
      problems.push(`${key(k)} is not a known key; accepted keys: ${PLATFORM_CONFIG_KEYS.join(", ")}`);
    }
  }
  if (!region) problems.push("aws:region is required (the region of the stacks the roles serve)");
  const githubRepo = values.github_repo ?? "";
  if (!REPO.test(githubRepo)) {
    problems.push(
      values.github_repo === undefined
        ? `${key("github_repo")} is required: owner/name of the GitHub repository (./build.sh PlatformDeploy --github-repo owner/name)`
        : `${key("github_repo")}: got "${githubRepo}"; accepted: owner/name, e.g. octo-org/openclaw-runbook`,
    );
  }
  const githubEnvironment = values.github_environment ?? DEFAULT_GITHUB_ENVIRONMENT;
  if (!ENVIRONMENT.test(githubEnvironment)) {
    problems.push(`${key("github_environment")}: got "${githubEnvironment}"; accepted: a GitHub environment name of letters, digits, '.', '_', '-'`);
  }
  const stacks = (values.stacks ?? "dev").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (stacks.length === 0 || stacks.some((s) => !STACK.test(s))) {
    problems.push(`${key("stacks")}: got "${values.stacks}"; accepted: stack names separated by commas, e.g. dev,prod`);
  }
  const oidcProviderArn = values.oidc_provider_arn;
  if (oidcProviderArn !== undefined && !OIDC_ARN.test(oidcProviderArn)) {
    problems.push(`${key("oidc_provider_arn")}: got "${oidcProviderArn}"; accepted: arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com`);
  }
  const stateBackend = values.state_backend ?? "false";
  if (stateBackend !== "true" && stateBackend !== "false") {
    problems.push(`${key("state_backend")}: got "${stateBackend}"; accepted: true or false`);
  }
  const stateBucketName = values.state_bucket_name;
  if (stateBucketName !== undefined && (!BUCKET.test(stateBucketName) || stateBucketName.startsWith("openclaw-"))) {
    problems.push(`${key("state_bucket_name")}: got "${stateBucketName}"; accepted: an S3 bucket name not starting with openclaw- (those are the stacks' backup buckets)`);
  }
  if (problems.length > 0) throw new PlatformConfigError(problems);
  return { region: region!, githubRepo, githubEnvironment, stacks, oidcProviderArn, stateBackend: stateBackend === "true", stateBucketName };
}

export function readPlatformSettings(): PlatformSettings {
  const prefix = `${PLATFORM_PROJECT}:`;
  const all = pulumi.runtime.allConfig();
  const values: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(all)) if (k.startsWith(prefix)) values[k.slice(prefix.length)] = v;
  return parsePlatformSettings(values, all["aws:region"]);
}

/** Default state bucket: unique per account and region, and outside the openclaw-<stack>-* names the roles manage. */
export const defaultStateBucketName = (accountId: string, region: string) => `pulumi-state-openclaw-${accountId}-${region}`;
