import * as fs from "node:fs";
import * as path from "node:path";
import { gzipSync } from "fflate";
import { stringify } from "yaml";
import { loadManifest, Manifest, ManifestFile } from "./cloudInit/manifest";
import { checkPlaceholders, fill, PlaceholderValues } from "./cloudInit/template";

/** EC2 accepts at most 16 KiB of user-data before base64. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

export interface RenderedFile {
  path: string;
  /** Size of the file on the instance. */
  bytes: number;
  encoding: "text" | "gz+b64";
}

export interface RenderedUserData {
  /** What EC2 receives. */
  text: string;
  bytes: number;
  files: RenderedFile[];
  /** The same document with every file as plain text, for review; may exceed the EC2 limit. */
  expanded: string;
}

export interface UserDataTemplate {
  manifest: Manifest;
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
    const content = fs.readFileSync(path.join(cloudInitDir, file.source), "utf8");
    if (file.template) checkPlaceholders(content, file.source);
    return { file, content };
  });
  return {
    manifest,
    render: (values) =>
      fitToLimit(
        manifest,
        sources.map(({ file, content }) => ({
          file,
          content: file.template ? fill(content, values, file.source) : content,
        })),
      ),
  };
}

/** Plain text when it fits; otherwise compresses the largest files first until it does. */
function fitToLimit(manifest: Manifest, files: FileContent[]): RenderedUserData {
  const compressed = new Set<string>();
  let text = toCloudConfig(manifest, files, compressed);
  const largestFirst = [...files].sort((a, b) => b.content.length - a.content.length);
  for (const { file } of largestFirst) {
    if (Buffer.byteLength(text) <= USER_DATA_LIMIT_BYTES) break;
    compressed.add(file.path);
    text = toCloudConfig(manifest, files, compressed);
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > USER_DATA_LIMIT_BYTES) {
    throw new UserDataError(
      `rendered user-data is ${bytes} bytes even with every file compressed; EC2 accepts ${USER_DATA_LIMIT_BYTES}`,
    );
  }
  return {
    text,
    bytes,
    expanded: compressed.size === 0 ? text : toCloudConfig(manifest, files, new Set()),
    files: files.map(({ file, content }) => ({
      path: file.path,
      bytes: Buffer.byteLength(content),
      encoding: compressed.has(file.path) ? "gz+b64" : "text",
    })),
  };
}

function toCloudConfig(manifest: Manifest, files: FileContent[], compressed: Set<string>): string {
  const doc: Record<string, unknown> = {};
  if (manifest.packages.length > 0) doc.packages = manifest.packages;
  doc.write_files = files.map(({ file, content }) => ({
    path: file.path,
    owner: file.owner ?? "root:root",
    permissions: file.permissions,
    ...(compressed.has(file.path) ? { encoding: "gz+b64", content: gzipBase64(content) } : { content }),
  }));
  if (manifest.runcmd.length > 0) doc.runcmd = manifest.runcmd;
  return `#cloud-config\n${stringify(doc, { lineWidth: 0, blockQuote: "literal" })}`;
}

/**
 * Pure-JS gzip: the same bytes on every machine. Node's zlib output can differ by platform and CPU,
 * which would show up as a user-data change and replace the instance.
 */
function gzipBase64(content: string): string {
  return Buffer.from(gzipSync(Buffer.from(content, "utf8"), { level: 9, mtime: 0 })).toString("base64");
}
