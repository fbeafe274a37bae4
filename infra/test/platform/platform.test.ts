import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { OfflineRunError, PlannedResource } from "../../src/offline/run";
import { DEFAULT_GITHUB_ENVIRONMENT, parsePlatformSettings, PlatformConfigError } from "../../src/platform/config";
import { PlatformRun, rolePolicyParts, runPlatformOffline } from "../../src/platform/offline";
import { MANAGED_POLICY_LIMIT, policySize } from "../../src/platform/permissions";

const REPO = "octo-org/openclaw-runbook";
const BASE = { "aws:region": "me-central-1", "openclaw-platform:github_repo": REPO };
const EXISTING_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

const find = (run: PlatformRun, type: string, name: string): PlannedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0];
};
const approvalText = (run: PlatformRun) => `${JSON.stringify({ outputs: run.outputs, resources: run.resources }, null, 2)}\n`;
type Trust = { Statement: { Effect: string; Principal: { Federated: string }; Action: string[]; Condition: Record<string, Record<string, string>> }[] };
const trustOf = (run: PlatformRun, role: string) => find(run, "aws:iam/role:Role", role).inputs.assumeRolePolicy as Trust;

describe("platform with a state backend (the example config)", async () => {
  const run = await runPlatformOffline("platform", { ...BASE, "openclaw-platform:stacks": "dev, prod", "openclaw-platform:state_backend": "true" });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("../__approved__/platform-state-backend.approved.json");
  });

  it("creates GitHub's OIDC provider for the STS audience", () => {
    expect(find(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github").inputs).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  it.each([
    ["openclaw-github-preview", `repo:${REPO}:pull_request`, 3600],
    ["openclaw-github-deploy", `repo:${REPO}:environment:${DEFAULT_GITHUB_ENVIRONMENT}`, 7200],
  ])("%s trusts exactly one sub and the STS audience, with StringEquals only", (role, subject, seconds) => {
    const trust = trustOf(run, role);
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement.Effect).toBe("Allow");
    expect(statement.Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(statement.Principal).toEqual({ Federated: EXISTING_PROVIDER });
    expect(statement.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": subject,
      },
    });
    expect(JSON.stringify(trust)).not.toMatch(/StringLike|\*/);
    expect(find(run, "aws:iam/role:Role", role).inputs.maxSessionDuration).toBe(seconds);
  });

  it("scopes both roles' policies to the configured stacks", () => {
    const policy = JSON.stringify(rolePolicyParts(run, "openclaw-github-deploy"));
    expect(policy).toContain('"aws:ResourceTag/OpenClawStack":["dev","prod"]');
    expect(policy).toContain("arn:aws:s3:::openclaw-prod-*");
    expect(policy).toContain("log-group:/openclaw/dev/*");
  });

  it("gives each role its policy as attached managed policies within IAM's 6,144 characters each, the statements in order", () => {
    for (const role of ["openclaw-github-preview", "openclaw-github-deploy"]) {
      const parts = rolePolicyParts(run, role);
      expect(parts.length, role).toBeGreaterThan(0);
      for (const part of parts) expect(policySize(part), role).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
      const sids = parts.flatMap((part) => part.Statement.map((st) => st.Sid));
      expect(new Set(sids).size, role).toBe(sids.length);
    }
    expect(rolePolicyParts(run, "openclaw-github-deploy").length).toBeGreaterThan(1);
    expect(run.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")).toEqual([]);
  });

  it("creates the stack roles' permissions boundary the deploy role's role writes require", () => {
    const boundary = find(run, "aws:iam/policy:Policy", "openclaw-stack-boundary");
    expect(boundary.inputs.name).toBe("openclaw-stack-boundary");
    const document = boundary.inputs.policy as { Statement: { Action: string[] }[] };
    expect(document.Statement.flatMap((s) => s.Action)).toContain("ssm:GetParameter");
    expect(JSON.stringify(document)).toContain("parameter/openclaw/prod/*");
    const policy = JSON.stringify(rolePolicyParts(run, "openclaw-github-deploy"));
    expect(policy).toContain('"iam:PermissionsBoundary":"arn:aws:iam::123456789012:policy/openclaw-stack-boundary"');
    expect(run.outputs.stack_boundary_arn).toBe("arn:aws:iam::123456789012:policy/openclaw-stack-boundary");
  });

  it("keeps the state in a versioned, KMS-encrypted, private, TLS-only bucket that outlives the platform", () => {
    const bucket = find(run, "aws:s3/bucket:Bucket", "openclaw-state");
    expect(bucket.inputs).toMatchObject({ bucket: "pulumi-state-openclaw-123456789012-me-central-1", forceDestroy: false });
    expect(find(run, "aws:s3/bucketVersioning:BucketVersioning", "openclaw-state").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(find(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "openclaw-state").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: expect.stringMatching(/^arn:aws:kms:me-central-1:123456789012:key\//) }, bucketKeyEnabled: true },
    ]);
    expect(find(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "openclaw-state").inputs).toMatchObject({
      blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    const policy = find(run, "aws:s3/bucketPolicy:BucketPolicy", "openclaw-state").inputs.policy as { Statement: unknown[] };
    expect(policy.Statement).toEqual([expect.objectContaining({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } })]);
    expect(find(run, "aws:kms/key:Key", "openclaw-state").inputs).toMatchObject({ enableKeyRotation: true });
    for (const r of run.resources.filter((r) => r.name === "openclaw-state")) expect(r.options.retainOnDelete, r.type).toBe(true);
  });

  it("outputs the backend URL and secrets provider to use", () => {
    expect(run.outputs).toMatchObject({
      pulumi_backend_url: "s3://pulumi-state-openclaw-123456789012-me-central-1?region=me-central-1",
      secrets_provider: expect.stringMatching(/^awskms:\/\/[0-9a-f-]+\?region=me-central-1$/),
      preview_role_arn: "arn:aws:iam::123456789012:role/openclaw-github-preview",
      deploy_role_arn: "arn:aws:iam::123456789012:role/openclaw-github-deploy",
      stacks: ["dev", "prod"],
    });
  });
});

describe("platform with the account's existing OIDC provider and no state backend", async () => {
  const run = await runPlatformOffline("platform", {
    ...BASE,
    "openclaw-platform:oidc_provider_arn": EXISTING_PROVIDER.replace("123456789012", "210987654321"),
    "openclaw-platform:github_environment": "prod-approval",
  });

  it("matches the approved resource set", async () => {
    await expect(approvalText(run)).toMatchFileSnapshot("../__approved__/platform-minimal.approved.json");
  });

  it("creates no provider and no backend, and trusts the given provider for the given environment", () => {
    expect([...new Set(run.resources.map((r) => r.type))].sort()).toEqual(["aws:iam/policy:Policy", "aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"]);
    const deploy = trustOf(run, "openclaw-github-deploy").Statement[0];
    expect(deploy.Principal.Federated).toBe("arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com");
    expect(deploy.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(`repo:${REPO}:environment:prod-approval`);
    expect(run.outputs.pulumi_backend_url).toBeUndefined();
  });
});

describe("platform config", () => {
  const problems = (values: Record<string, string>, region: string | null = "me-central-1") => {
    try {
      parsePlatformSettings(values, region ?? undefined);
    } catch (error) {
      expect(error).toBeInstanceOf(PlatformConfigError);
      return (error as PlatformConfigError).problems;
    }
    return [];
  };

  it("needs the repository and the region, and says how to give them", () => {
    expect(problems({}, null)).toEqual([
      "aws:region is required (the region of the stacks the roles serve)",
      "openclaw-platform:github_repo is required: owner/name of the GitHub repository (./build.sh PlatformDeploy --github-repo owner/name)",
    ]);
  });

  it.each([
    [{ github_repo: "octo-org/x:*" }, "github_repo"],
    [{ github_repo: REPO, github_environment: "prod*" }, "github_environment"],
    [{ github_repo: REPO, stacks: "dev,,*" }, "stacks"],
    [{ github_repo: REPO, oidc_provider_arn: "arn:aws:iam::1:oidc-provider/example.com" }, "oidc_provider_arn"],
    [{ github_repo: REPO, state_backend: "yes" }, "state_backend"],
    [{ github_repo: REPO, state_bucket_name: "openclaw-state" }, "state_bucket_name"],
    [{ github_repo: REPO, repo: "typo" }, "openclaw-platform:repo is not a known key"],
  ])("refuses %j (no wildcard can reach a trust policy)", (values, key) => {
    expect(problems(values as Record<string, string>).join("\n")).toContain(key);
  });

  it("fails the offline run before registering anything", async () => {
    const error = await runPlatformOffline("platform", { "aws:region": "me-central-1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineRunError);
    expect((error as OfflineRunError).registered).toEqual([]);
  });
});

describe("the generated workflows use the roles as the platform trusts them", () => {
  const workflow = (name: string) =>
    parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", ".github", "workflows", `${name}.yml`), "utf8")) as {
      on: Record<string, unknown>;
      jobs: Record<string, { environment?: string; steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
  const roleOf = (name: string) =>
    Object.values(workflow(name).jobs)[0].steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!.with!["role-to-assume"];

  it("preview.yml runs on pull requests with the preview role and no environment", () => {
    expect(Object.keys(workflow("preview").on)).toEqual(["pull_request"]);
    expect(roleOf("preview")).toBe("${{ vars.AWS_PREVIEW_ROLE_ARN }}");
    expect(Object.values(workflow("preview").jobs)[0].environment).toBeUndefined();
  });

  it.each(["deploy", "destroy"])("%s.yml runs in the environment the deploy role trusts by default", (name) => {
    expect(roleOf(name)).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    expect(Object.values(workflow(name).jobs)[0].environment).toBe(DEFAULT_GITHUB_ENVIRONMENT);
  });
});
