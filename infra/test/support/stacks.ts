import * as path from "node:path";
import { MockOptions } from "../../src/offline/mocks";
import { OfflineRun, OfflineRunError, runOffline } from "../../src/offline/run";

export const FIXTURE_CLOUD_INIT = path.join(__dirname, "..", "fixtures", "cloud-init");
export const STACK = "dev";
export const BASE_CONFIG = { "aws:region": "me-central-1", "openclaw:availability_zone": "me-central-1a" };
export const SNAPSHOT_ID = "snap-0123456789abcdef0";

export interface RunArgs {
  stack?: string;
  config?: Record<string, string>;
  mocks?: Omit<MockOptions, "region">;
  cloudInitDir?: string;
}

/** The program under mocks with the base config plus `config`. */
export function runStack(args: RunArgs = {}): Promise<OfflineRun> {
  return runOffline({
    stack: args.stack ?? STACK,
    config: { ...BASE_CONFIG, ...args.config },
    cloudInitDir: args.cloudInitDir ?? FIXTURE_CLOUD_INIT,
    mocks: args.mocks,
  });
}

/** Runs a config that must fail and returns the failure. */
export async function failStack(args: RunArgs = {}): Promise<OfflineRunError> {
  try {
    await runStack(args);
  } catch (error) {
    if (error instanceof OfflineRunError) return error;
    throw error;
  }
  throw new Error("expected the program to fail, but it succeeded");
}

export function restoreMocks(tags: Record<string, string>, volumeSize = 20): Omit<MockOptions, "region"> {
  return { snapshots: { [SNAPSHOT_ID]: { volumeSize, tags } } };
}
