import * as fs from "node:fs";
import { parse } from "yaml";
import { PROJECT } from "../config";

export interface StackConfigFile {
  /** Full keys (`openclaw:instance_type`, `aws:region`) with values as the Pulumi CLI would pass them. */
  config: Record<string, string>;
  /** Keys whose value is encrypted (`secure:`) and so replaced by a placeholder. */
  secureKeys: string[];
}

/** Reads a `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: every value a string. */
export function readStackConfigFile(file: string, project = PROJECT): StackConfigFile {
  const doc: unknown = parse(fs.readFileSync(file, "utf8")) ?? {};
  const section = (doc as { config?: unknown }).config ?? {};
  if (typeof section !== "object" || section === null || Array.isArray(section)) {
    throw new Error(`${file}: "config" must be a mapping of keys to values`);
  }
  const config: Record<string, string> = {};
  const secureKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(section)) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    if (value !== null && typeof value === "object" && "secure" in value) {
      secureKeys.push(key);
      config[key] = "<secret>";
    } else if (value !== null && value !== undefined) {
      config[key] = typeof value === "object" ? JSON.stringify(value) : String(value);
    }
  }
  return { config, secureKeys };
}
