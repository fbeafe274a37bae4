import * as pulumi from "@pulumi/pulumi";
import { parseSettings, PROJECT, readConfigSource } from "../config";
import { buildStack, prepareStack } from "../stack";
import { RenderedUserData } from "../userData";
import { MockOptions, OfflineMocks } from "./mocks";
import { OptionsRecorder, RecordedOptions, resourceKey } from "./recorder";

export interface PlannedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

export interface OfflineRun {
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  userData: RenderedUserData;
  placeholders: string[];
}

export interface OfflineRunOptions {
  stack: string;
  /** Full keys as in a stack config file (`openclaw:instance_type`, `aws:region`), string values. */
  config: Record<string, string>;
  cloudInitDir: string;
  mocks?: Omit<MockOptions, "region">;
}

/** Thrown when the program fails; carries what was registered before the failure. */
export class OfflineRunError extends Error {
  constructor(
    readonly cause: unknown,
    readonly registered: string[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "OfflineRunError";
  }
}

// Exported by the SDK but marked internal; it is what `disconnect()` awaits: every registration sent.
const { waitForRPCs } = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };

/** The user-data replaced in resource listings: it is reviewed as its own file. */
export const USER_DATA_MARKER = "<rendered user-data: see user-data.yaml>";

/** Runs the program under Pulumi mocks: no AWS credentials, no network, no Pulumi CLI. */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
  const mocks = new OfflineMocks({ region: options.config["aws:region"] ?? "", ...options.mocks });
  const recorder = new OptionsRecorder();
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, false);
  pulumi.runtime.setAllConfig(options.config);

  let userData: pulumi.Output<RenderedUserData> | undefined;
  let outputs: Record<string, unknown>;
  try {
    // Checks run outside the stack resource, as in the real program they run before any registration.
    const prepared = await prepareStack(parseSettings(readConfigSource()), options.cloudInitDir);
    const stackOutputs = await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(recorder.transformation);
      const result = buildStack(prepared);
      userData = result.userData;
      return result.outputs;
    });
    outputs = (stackOutputs ?? {}) as Record<string, unknown>;
    await waitForRPCs();
  } catch (error) {
    throw new OfflineRunError(error, programResources(mocks).map((r) => resourceKey(r.type, r.name)));
  }

  const rendered = await new Promise<RenderedUserData>((resolve) => userData!.apply(resolve));
  const resources = programResources(mocks)
    .map((r) => ({
      type: r.type,
      name: r.name,
      inputs: normalize(r.type === "aws:ec2/instance:Instance" ? { ...r.inputs, userDataBase64: USER_DATA_MARKER } : r.inputs),
      options: recorder.optionsOf(resourceKey(r.type, r.name)),
    }))
    .sort((a, b) => resourceKey(a.type, a.name).localeCompare(resourceKey(b.type, b.name)));
  return { resources, outputs, userData: rendered, placeholders: [...mocks.placeholders].sort() };
}

const programResources = (mocks: OfflineMocks) => mocks.registered.filter((r) => r.type !== "pulumi:pulumi:Stack");

/** Inputs holding a JSON document, shown parsed so a review reads the policy, not an escaped string. */
const JSON_DOCUMENT_KEYS = ["policy", "assumeRolePolicy", "dashboardBody", "eventPattern"];

/** Sorted keys, no engine-internal `__` keys, JSON documents parsed: stable, readable approval files. */
export function normalize(value: unknown, key = ""): any {
  if (typeof value === "string" && JSON_DOCUMENT_KEYS.includes(key)) return normalize(JSON.parse(value));
  if (Array.isArray(value)) return value.map((item) => normalize(item));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => !k.startsWith("__"))
        .sort()
        .map((k) => [k, normalize((value as Record<string, unknown>)[k], k)]),
    );
  }
  return value;
}
