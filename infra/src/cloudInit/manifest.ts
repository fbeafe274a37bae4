import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { Persistence, PERSISTENCE_MODES } from "../contract";

/** `cloud-init/manifest.yaml`, the contract in docs/contracts.md. */
export interface Manifest {
  packages: string[];
  files: ManifestFile[];
  runcmd: RunCommand[];
}

/** A runcmd entry: argv words, for every persistence mode unless `modes` names some. */
export interface RunCommand {
  command: string[];
  modes?: Persistence[];
}

export interface ManifestFile {
  /** Relative to the cloud-init folder. */
  source: string;
  /** Absolute path on the instance. */
  path: string;
  permissions: string;
  template: boolean;
  owner?: string;
  /** The persistence modes the file is written in; unset: every mode. */
  modes?: Persistence[];
}

/** The manifest's files and commands for one persistence mode (entries without `modes` are in every mode). */
export function forMode(manifest: Manifest, mode: Persistence): Manifest {
  const inMode = (entry: { modes?: Persistence[] }) => entry.modes === undefined || entry.modes.includes(mode);
  return { ...manifest, files: manifest.files.filter(inMode), runcmd: manifest.runcmd.filter(inMode) };
}

export class ManifestError extends Error {
  constructor(manifestPath: string, problems: string[]) {
    super(`${manifestPath} is not a valid cloud-init manifest:\n  - ${problems.join("\n  - ")}`);
    this.name = "ManifestError";
  }
}

const TOP_LEVEL_KEYS = ["packages", "files", "runcmd"];
const FILE_KEYS = ["source", "path", "permissions", "template", "owner", "modes"];
const RUNCMD_KEYS = ["command", "modes"];

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string" && item.length > 0);

export function manifestPath(cloudInitDir: string): string {
  return path.join(cloudInitDir, "manifest.yaml");
}

export function loadManifest(cloudInitDir: string): Manifest {
  const file = manifestPath(cloudInitDir);
  if (!fs.existsSync(file)) throw new ManifestError(file, ["the file does not exist"]);
  const doc: unknown = parse(fs.readFileSync(file, "utf8"));
  const problems: string[] = [];
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ManifestError(file, ["expected a mapping with packages, files and runcmd"]);
  }
  const raw = doc as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) problems.push(`unknown key "${key}"; accepted: ${TOP_LEVEL_KEYS.join(", ")}`);
  }

  const packages = raw.packages ?? [];
  if (!isStringList(packages)) problems.push("packages: expected a list of package names");

  const runcmd = raw.runcmd ?? [];
  if (!Array.isArray(runcmd)) problems.push("runcmd: expected a list of commands, each a list of argv words");
  const parsedRuncmd = Array.isArray(runcmd) ? runcmd.map((entry, i) => parseCommand(entry, i, problems)) : [];

  const files = raw.files ?? [];
  if (!Array.isArray(files)) problems.push("files: expected a list");
  const parsedFiles = Array.isArray(files) ? files.map((entry, i) => parseFile(entry, i, cloudInitDir, problems)) : [];

  const targets = parsedFiles.map((f) => f?.path).filter((p): p is string => p !== undefined);
  for (const duplicate of new Set(targets.filter((p, i) => targets.indexOf(p) !== i))) {
    problems.push(`files: ${duplicate} is written more than once`);
  }

  if (problems.length > 0) throw new ManifestError(file, problems);
  return {
    packages: packages as string[],
    files: parsedFiles as ManifestFile[],
    runcmd: parsedRuncmd as RunCommand[],
  };
}

/** `modes:` lists persistence modes (docs/contracts.md); pushes a problem and returns undefined otherwise. */
function parseModes(value: unknown, where: string, problems: string[]): Persistence[] | undefined {
  if (value === undefined) return undefined;
  if (!isStringList(value) || value.length === 0 || !value.every((m) => (PERSISTENCE_MODES as string[]).includes(m))) {
    problems.push(`${where}.modes: expected a list of persistence modes (${PERSISTENCE_MODES.join(", ")})`);
    return undefined;
  }
  return value as Persistence[];
}

function parseCommand(entry: unknown, index: number, problems: string[]): RunCommand | undefined {
  const where = `runcmd[${index}]`;
  if (isStringList(entry)) return { command: entry };
  const e = entry as Record<string, unknown>;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry) || !isStringList(e.command)) {
    problems.push(`runcmd: expected a list of commands, each a list of argv words or a mapping with command and modes (${where})`);
    return undefined;
  }
  for (const key of Object.keys(e)) {
    if (!RUNCMD_KEYS.includes(key)) problems.push(`${where}: unknown key "${key}"; accepted: ${RUNCMD_KEYS.join(", ")}`);
  }
  const modes = parseModes(e.modes, where, problems);
  return { command: e.command, ...(modes ? { modes } : {}) };
}

function parseFile(entry: unknown, index: number, dir: string, problems: string[]): ManifestFile | undefined {
  const where = `files[${index}]`;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    problems.push(`${where}: expected a mapping with source, path, permissions, template`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(e)) {
    if (!FILE_KEYS.includes(key)) problems.push(`${where}: unknown key "${key}"; accepted: ${FILE_KEYS.join(", ")}`);
  }
  const source = e.source;
  if (typeof source !== "string" || source === "" || path.isAbsolute(source) || source.split(/[\\/]/).includes("..")) {
    problems.push(`${where}.source: expected a path inside the cloud-init folder`);
  } else if (!fs.existsSync(path.join(dir, source))) {
    problems.push(`${where}.source: ${source} does not exist`);
  }
  if (typeof e.path !== "string" || !e.path.startsWith("/")) problems.push(`${where}.path: expected an absolute path`);
  if (typeof e.permissions !== "string" || !/^0[0-7]{3}$/.test(e.permissions)) {
    problems.push(`${where}.permissions: expected an octal string such as "0644" (quoted in YAML)`);
  }
  if (e.template !== undefined && typeof e.template !== "boolean") {
    problems.push(`${where}.template: expected true or false`);
  }
  if (e.owner !== undefined && (typeof e.owner !== "string" || !/^[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*$/.test(e.owner))) {
    problems.push(`${where}.owner: expected user:group`);
  }
  const modes = parseModes(e.modes, where, problems);
  if (problems.length > before) return undefined;
  return {
    source: source as string,
    path: e.path as string,
    permissions: e.permissions as string,
    template: e.template === true,
    ...(e.owner !== undefined ? { owner: e.owner as string } : {}),
    ...(modes ? { modes } : {}),
  };
}
