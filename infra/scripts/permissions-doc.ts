// Writes docs/permissions.md from infra/platform/permissions.yaml (a test fails when the committed page differs).
import * as fs from "node:fs";
import { loadPermissions } from "../src/platform/permissions";
import { PERMISSIONS_DOC, renderPermissionsDoc } from "../src/platform/permissionsDoc";

fs.writeFileSync(PERMISSIONS_DOC, renderPermissionsDoc(loadPermissions()));
console.log(`Wrote ${PERMISSIONS_DOC}`);
