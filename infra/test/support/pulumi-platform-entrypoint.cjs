// Loads infra/platform/index.ts the way the Pulumi CLI's Node.js language host does (from infra/platform, with its
// TypeScript loader and tsconfig), under mocks, and prints the outputs. Usage: node pulumi-platform-entrypoint.cjs <infra dir>
const path = require("node:path");

const infraDir = path.resolve(process.argv[2]);
const programDir = path.join(infraDir, "platform");
process.chdir(programDir);
const resolve = (id) => require.resolve(id, { paths: [programDir] });
const pulumi = require(resolve("@pulumi/pulumi"));
const tsutils = require(path.join(path.dirname(resolve("@pulumi/pulumi/package.json")), "tsutils.js"));

async function main() {
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  require(tsnodeRequire).register({
    compiler: typescriptRequire,
    project: "tsconfig.json",
    skipProject: false,
    compilerOptions: {
      target: "ES2020",
      module: "nodenext",
      moduleResolution: "nodenext",
      sourceMap: "true",
      ...tsutils.loadTypeScriptCompilerOptions("tsconfig.json"),
    },
  });
  const { OfflineMocks } = require(path.join(infraDir, "src/offline/mocks.ts"));
  await pulumi.runtime.setMocks(new OfflineMocks({ region: "me-central-1" }), "openclaw-platform", "platform", false);
  pulumi.runtime.setAllConfig({
    "aws:region": "me-central-1",
    "openclaw-platform:github_repo": "octo-org/openclaw-runbook",
    "openclaw-platform:oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
  });
  const program = require(path.join(programDir, "index.ts"));
  const outputs = await pulumi.runtime.runInPulumiStack(program);
  process.stdout.write(JSON.stringify(outputs));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
