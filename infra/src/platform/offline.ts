import * as pulumi from "@pulumi/pulumi";
import { OfflineMocks, PLACEHOLDER_ACCOUNT_ID } from "../offline/mocks";
import { OptionsRecorder, resourceKey } from "../offline/recorder";
import { normalize, OfflineRunError, PlannedResource } from "../offline/run";
import { PLATFORM_PROJECT, readPlatformSettings } from "./config";
import { loadPermissions, PolicyAudience, renderPolicy } from "./permissions";
import { buildPlatform, platformAccount } from "./program";
import type { PolicyDocument } from "../policies";

export interface PlatformRun {
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  placeholders: string[];
}

/** The stack mocks plus ARNs for what only the platform creates. */
class PlatformMocks extends OfflineMocks {
  override newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const base = super.newResource(args);
    switch (args.type) {
      case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        const host = String(args.inputs.url).replace(/^https:\/\//, "");
        const arn = `arn:aws:iam::${PLACEHOLDER_ACCOUNT_ID}:oidc-provider/${host}`;
        return { id: arn, state: { ...base.state, arn } };
      }
      case "aws:kms/key:Key": {
        const keyId = "0000aaaa-bb11-4c22-8d33-eeeeffff0000";
        this.placeholders.add(`KMS key id ${keyId}`);
        return { id: keyId, state: { ...base.state, keyId, arn: `arn:aws:kms:${this.region}:${PLACEHOLDER_ACCOUNT_ID}:key/${keyId}` } };
      }
      default:
        return base;
    }
  }

  constructor(readonly region: string) {
    super({ region });
  }
}

const { waitForRPCs } = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

/** Runs the platform program under Pulumi mocks: no AWS credentials, no network, no Pulumi CLI. */
export async function runPlatformOffline(stack: string, config: Record<string, string>): Promise<PlatformRun> {
  const mocks = new PlatformMocks(config["aws:region"] ?? "");
  const recorder = new OptionsRecorder();
  await pulumi.runtime.setMocks(mocks, PLATFORM_PROJECT, stack, false);
  pulumi.runtime.setAllConfig(config);
  let outputs: Record<string, unknown>;
  try {
    const settings = readPlatformSettings();
    const account = await platformAccount();
    outputs = ((await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(recorder.transformation);
      return buildPlatform(settings, account);
    })) ?? {}) as Record<string, unknown>;
    await waitForRPCs();
  } catch (error) {
    const registered = mocks.registered.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => resourceKey(r.type, r.name));
    throw new OfflineRunError(error, registered);
  }
  const resources = mocks.registered
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ type: r.type, name: r.name, inputs: normalize(r.inputs), options: recorder.optionsOf(resourceKey(r.type, r.name)) }))
    .sort((a, b) => resourceKey(a.type, a.name).localeCompare(resourceKey(b.type, b.name)));
  return { resources, outputs: normalize(outputs), placeholders: [...mocks.placeholders].sort() };
}

/**
 * The operator's policy (a customer managed policy for a human running the runbook): every operation, in any
 * account and region (an identity policy acts in its own account; a human may keep stacks in several regions),
 * for the platform's stacks, and the state backend's when it has one. No Sids: a managed policy has 6,144 characters.
 */
export function operatorPolicy(stacks: string[], stateBackend?: { bucket: string; keyArn: string }): PolicyDocument {
  const scope = { partition: "aws", region: "*", account: "*", stacks, stateBackend };
  return renderPolicy(loadPermissions(), "operator" satisfies PolicyAudience, scope, { sids: false });
}

/**
 * A GitHub role's policy as planned: its managed policies (`<role>-1`, `<role>-2`, ...) in order, each attached to the
 * role. Throws when a part is not attached, so a plan never reports a policy the role would not have.
 */
export function rolePolicyParts(run: PlatformRun, roleName: string): PolicyDocument[] {
  const parts = run.resources
    .filter((r) => r.type === "aws:iam/policy:Policy" && new RegExp(`^${roleName}-\\d+$`).test(r.name))
    .sort((a, b) => Number(a.name.slice(roleName.length + 1)) - Number(b.name.slice(roleName.length + 1)));
  for (const part of parts) {
    const attached = run.resources.some(
      (r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.name === part.name && r.inputs.role === roleName,
    );
    if (!attached) throw new Error(`managed policy ${part.name} is not attached to role ${roleName}`);
  }
  return parts.map((part) => part.inputs.policy as PolicyDocument);
}
