import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../src/config";
import { CONFIG, contractJson, OUTPUTS } from "../src/contract";
import { runStack } from "./support/stacks";

const CONTRACT_FILE = path.join(__dirname, "..", "contract.json");

describe("contract.json (read by the build)", () => {
  it("is what src/contract.ts exports (regenerate: cd infra && npm run contract)", () => {
    expect(fs.readFileSync(CONTRACT_FILE, "utf8"), "infra/contract.json is stale: run `npm run contract` in infra/").toBe(
      contractJson(),
    );
  });

  it("says on its first field that it is generated", () => {
    expect(Object.keys(JSON.parse(fs.readFileSync(CONTRACT_FILE, "utf8")))[0]).toBe("generated");
  });

  it("names every config key the program accepts, and only those", () => {
    expect([...CONFIG_KEYS].sort()).toEqual(Object.values(CONFIG).sort());
  });

  it("names every output the stack exports, and only those", async () => {
    const run = await runStack();
    expect(Object.keys(run.outputs).sort()).toEqual(Object.values(OUTPUTS).sort());
  });
});
