import * as path from "node:path";
import { parseSettings, readConfigSource } from "./config";
import { createStack, StackOutputs } from "./stack";

/** cloud-init/ sits beside infra/ in the repository. */
export const CLOUD_INIT_DIR = path.resolve(__dirname, "..", "..", "cloud-init");

export async function main(): Promise<StackOutputs> {
  const settings = parseSettings(readConfigSource());
  return (await createStack(settings, CLOUD_INIT_DIR)).outputs;
}
