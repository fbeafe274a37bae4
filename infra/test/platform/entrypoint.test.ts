import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("loads platform/index.ts as `pulumi up` in infra/platform would, through Pulumi's TypeScript loader", () => {
  const infraDir = path.resolve(__dirname, "..", "..");
  const result = spawnSync(process.execPath, [path.join(__dirname, "..", "support", "pulumi-entrypoint.cjs"), infraDir, "platform"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  expect(Object.keys(JSON.parse(result.stdout)).sort()).toEqual(
    ["deploy_role_arn", "github_environment", "github_repo", "oidc_provider_arn", "preview_role_arn", "region", "stack_boundary_arn", "stacks"].sort(),
  );
}, 60_000);
