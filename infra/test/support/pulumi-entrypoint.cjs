// Loads a Pulumi program the way the Pulumi CLI's Node.js language host does (from the program's directory, with its
// TypeScript loader — a vendored ts-node with the project's TypeScript — and tsconfig), under mocks, and prints the outputs.
// Usage: node pulumi-entrypoint.cjs <infra dir> [stack|platform]   (stack: infra/index.ts; platform: infra/platform/index.ts)
const path = require("node:path");

const infraDir = path.resolve(process.argv[2]);
const programs = {
  stack: {
    dir: infraDir,
    project: "openclaw",
    stack: "dev",
    config: { "aws:region": "me-central-1", "openclaw:availability_zone": "me-central-1a" },
  },
  platform: {
    dir: path.join(infraDir, "platform"),
    project: "openclaw-platform",
    stack: "platform",
    config: {
      "aws:region": "me-central-1",
      "openclaw-platform:github_repo": "octo-org/openclaw-runbook",
      "openclaw-platform:oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    },
  },
};
const program = programs[process.argv[3] ?? "stack"];
if (!program) throw new Error(`unknown program ${process.argv[3]}; one of ${Object.keys(programs).join(", ")}`);

process.chdir(program.dir);
const resolve = (id) => require.resolve(id, { paths: [program.dir] });
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
  await pulumi.runtime.setMocks(new OfflineMocks({ region: "me-central-1" }), program.project, program.stack, false);
  pulumi.runtime.setAllConfig(program.config);
  const outputs = await pulumi.runtime.runInPulumiStack(require(path.join(program.dir, "index.ts")));
  process.stdout.write(JSON.stringify(outputs));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
