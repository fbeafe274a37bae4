// Loads index.ts the way the Pulumi CLI's Node.js language host does (its TypeScript loader, a
// vendored ts-node with this project's TypeScript and tsconfig), under mocks, and prints the outputs.
// Usage: node pulumi-entrypoint.cjs <infra dir>
const path = require("node:path");

const infraDir = path.resolve(process.argv[2]);
process.chdir(infraDir);
const resolve = (id) => require.resolve(id, { paths: [infraDir] });
const pulumi = require(resolve("@pulumi/pulumi"));
// Internal module of the pinned SDK: the same helpers cmd/run/run.js uses to set up TypeScript.
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
  await pulumi.runtime.setMocks(new OfflineMocks({ region: "me-central-1" }), "openclaw", "dev", false);
  pulumi.runtime.setAllConfig({ "aws:region": "me-central-1", "openclaw:availability_zone": "me-central-1a" });
  const program = require(path.join(infraDir, "index.ts"));
  const outputs = await pulumi.runtime.runInPulumiStack(program);
  process.stdout.write(JSON.stringify(outputs));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
