import { readPlatformSettings } from "./config";
import { buildPlatform, platformAccount, PlatformOutputs } from "./program";

/** The platform program (infra/platform/index.ts): config checked first, then the account looked up, then resources. */
export async function main(): Promise<PlatformOutputs> {
  const settings = readPlatformSettings();
  return buildPlatform(settings, await platformAccount());
}
