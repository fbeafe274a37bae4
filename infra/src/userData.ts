import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "fflate";
import { Document, YAMLSeq } from "yaml";
import { forMode, loadManifest, Manifest, ManifestFile } from "./cloudInit/manifest";
import { compact, compacts } from "./cloudInit/compact";
import { checkPlaceholders, fill, PlaceholderValues } from "./cloudInit/template";
import { Persistence } from "./contract";

/** EC2 accepts at most 16 KiB of user-data before base64. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

export interface RenderedFile {
  path: string;
  /** Size of the file on the instance. */
  bytes: number;
}

export interface RenderedUserData {
  /** The #cloud-config document cloud-init runs. */
  text: string;
  bytes: number;
  files: RenderedFile[];
  /** What EC2 receives: the text itself when it fits, else its gzip (cloud-init unpacks gzip user-data). */
  delivery: { encoding: "text" | "gzip"; bytes: number; base64: string };
}

export interface UserDataTemplate {
  render(values: PlaceholderValues): RenderedUserData;
}

export class UserDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserDataError";
  }
}

interface FileContent {
  file: ManifestFile;
  content: string;
}

/** Reads and checks everything in the cloud-init folder up front, so bad input fails before any resource exists. */
export function prepareUserData(cloudInitDir: string): UserDataTemplate {
  const manifest = loadManifest(cloudInitDir);
  const sources = manifest.files.map((file) => {
    const text = fs.readFileSync(path.join(cloudInitDir, file.source), "utf8");
    if (file.template) checkPlaceholders(text, file.source);
    return { file, content: compacts(file.source) ? compact(text) : text };
  });
  return {
    // The `persistence` value also picks the manifest's files and commands (entries with `modes:`).
    render: (values) => {
      const chosen = forMode(manifest, values.persistence as Persistence);
      return fitToLimit(
        chosen,
        sources
          .filter(({ file }) => chosen.files.includes(file))
          .map(({ file, content }) => ({
            file,
            content: file.template ? fill(content, values, file.source) : content,
          })),
      );
    },
  };
}

/**
 * Files go into the #cloud-config as plain text. Over the EC2 limit, the whole document is gzipped:
 * that packs far better than per-file `encoding: gz+b64` (one dictionary, no base64 per file).
 */
function fitToLimit(manifest: Manifest, files: FileContent[]): RenderedUserData {
  const text = toCloudConfig(manifest, files);
  const bytes = Buffer.byteLength(text);
  const delivery =
    bytes <= USER_DATA_LIMIT_BYTES
      ? { encoding: "text" as const, bytes, base64: Buffer.from(text, "utf8").toString("base64") }
      : gzipped(text);
  if (delivery.bytes > USER_DATA_LIMIT_BYTES) {
    throw new UserDataError(
      `rendered user-data is ${bytes} bytes, ${delivery.bytes} gzipped; EC2 accepts ${USER_DATA_LIMIT_BYTES}. ` +
        `Largest files: ${largest(files)}`,
    );
  }
  return {
    text,
    bytes,
    delivery,
    files: files.map(({ file, content }) => ({ path: file.path, bytes: Buffer.byteLength(content) })),
  };
}

function largest(files: FileContent[]): string {
  return files
    .map(({ file, content }) => ({ source: file.source, bytes: Buffer.byteLength(content) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map(({ source, bytes }) => `${source} (${bytes} bytes)`)
    .join(", ");
}

function toCloudConfig(manifest: Manifest, files: FileContent[]): string {
  const doc: Record<string, unknown> = {};
  if (manifest.packages.length > 0) doc.packages = manifest.packages;
  doc.write_files = files.map(({ file, content }) => ({
    path: file.path,
    owner: file.owner ?? "root:root",
    permissions: file.permissions,
    content,
  }));
  if (manifest.runcmd.length > 0) doc.runcmd = manifest.runcmd.map((entry) => entry.command);
  const yaml = new Document(doc);
  // One command per line, as written in the manifest.
  (yaml.get("runcmd") as YAMLSeq | undefined)?.items.forEach((command) => ((command as YAMLSeq).flow = true));
  return `#cloud-config\n${yaml.toString({ lineWidth: 0, blockQuote: "literal", flowCollectionPadding: false })}`;
}

/**
 * Pure-JS gzip without a timestamp: the same bytes on every machine. Node's zlib output can differ by
 * platform and CPU, which Pulumi would see as changed user-data and replace the instance.
 */
function gzipped(text: string) {
  const gz = gzipSync(Buffer.from(text, "utf8"), { level: 9, mtime: 0 });
  return { encoding: "gzip" as const, bytes: gz.length, base64: Buffer.from(gz).toString("base64") };
}
