// Writes infra/contract.json from src/contract.ts: `npm run contract` (test/contract.test.ts fails while it is stale).
import * as fs from "node:fs";
import * as path from "node:path";
import { contractJson } from "../src/contract";

const file = path.join(__dirname, "..", "contract.json");
fs.writeFileSync(file, contractJson());
console.log(`Wrote ${path.relative(process.cwd(), file) || file}`);
