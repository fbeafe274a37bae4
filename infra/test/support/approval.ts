import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";

export const APPROVED_DIR = path.join(__dirname, "..", "__approved__");

/**
 * Compares `received` with `__approved__/<name>.approved.<ext>`. On a mismatch it writes
 * `<name>.received.<ext>` beside it and fails with a diff; `APPROVE=1 npm test` accepts.
 */
export function verifyApproved(name: string, ext: string, received: string): void {
  const approvedPath = path.join(APPROVED_DIR, `${name}.approved.${ext}`);
  const receivedPath = path.join(APPROVED_DIR, `${name}.received.${ext}`);
  if (process.env.APPROVE === "1") {
    fs.mkdirSync(APPROVED_DIR, { recursive: true });
    fs.writeFileSync(approvedPath, received);
    fs.rmSync(receivedPath, { force: true });
    return;
  }
  const approved = fs.existsSync(approvedPath) ? fs.readFileSync(approvedPath, "utf8").replace(/\r\n/g, "\n") : undefined;
  if (approved === received) {
    fs.rmSync(receivedPath, { force: true });
    return;
  }
  fs.writeFileSync(receivedPath, received);
  if (approved === undefined) {
    throw new Error(`no ${approvedPath}; review ${receivedPath}, then run APPROVE=1 npm test`);
  }
  expect(received, `${receivedPath} differs from the approved file; if intended, run APPROVE=1 npm test`).toBe(
    approved,
  );
}
