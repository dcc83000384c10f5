// Offline checks of everything under infra/ (run by infra/validate.sh, which first compiles the Bicep and passes the
// ARM output here). Prints one line per problem and exits 1 when there is any.
//   node validate.mjs [--arm main.json --arm-params main.parameters.json]
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Problems, listFiles, readJson, readYaml } from "./files.mjs";
import { loadSettings } from "./settings.mjs";
import { checkCompose, checkProxyUpstreams } from "./compose.mjs";
import { checkKubernetes } from "./k8s.mjs";
import { checkDockerfile } from "./dockerfile.mjs";
import { checkArmParameters, checkArmTemplate } from "./azure.mjs";

const { values: args } = parseArgs({ options: { arm: { type: "string" }, "arm-params": { type: "string" } } });
const infra = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(infra, "..");
const problems = new Problems(repoRoot);
const settings = loadSettings(repoRoot);

async function step(title, file, check) {
  const before = problems.list.length;
  try {
    await check();
  } catch (e) {
    // A manifest too broken for a check to walk is a problem of that manifest, not a crash of the validator.
    problems.add(file, `could not be checked: ${e.message}`);
  }
  const found = problems.list.length - before;
  console.log(`${found === 0 ? "ok  " : "FAIL"} ${title}${found === 0 ? "" : ` (${found} problem${found === 1 ? "" : "s"})`}`);
}

const manifests = listFiles(infra).filter((f) => !f.startsWith(join(infra, "validate") + "/"));
await step("every YAML and JSON file under infra/ parses", infra, () => {
  for (const f of manifests) {
    if (/\.ya?ml$/.test(f)) readYaml(f, problems);
    else if (f.endsWith(".json")) readJson(f, problems);
  }
});

const dockerfile = join(infra, "docker", "Dockerfile");
await step("infra/docker/Dockerfile: lint, COPY sources, settings, user, port, health check", dockerfile, () => checkDockerfile(dockerfile, { problems, settings, repoRoot }));

const compose = join(infra, "compose", "compose.yaml");
let composeServices = [];
await step("infra/compose/compose.yaml: Compose Specification schema, references, settings", compose, () => {
  composeServices = checkCompose(compose, { problems, settings })?.services ?? [];
});
const nginx = join(infra, "compose", "nginx.conf");
await step("infra/compose/nginx.conf: upstreams are Compose services", nginx, () => checkProxyUpstreams(nginx, composeServices, problems));

const k8s = join(infra, "k8s");
await step("infra/k8s: Kubernetes schemas, kustomization, references, probes, security", k8s, () => checkKubernetes(k8s, { problems, settings }));

if (args.arm) {
  await step("infra/azure: compiled ARM template (settings, probes, sticky sessions, bot + Teams channel)", args.arm, () => {
    // Problems name the Bicep sources, not the temporary compiled files.
    checkArmTemplate(args.arm, { problems, settings, reportAs: join(infra, "azure", "main.bicep") });
    if (args["arm-params"]) checkArmParameters(args["arm-params"], args.arm, { problems, reportAs: join(infra, "azure", "main.bicepparam") });
  });
} else if (existsSync(join(infra, "azure", "main.bicep"))) {
  console.log("skip infra/azure: no compiled template given (--arm); infra/validate.sh compiles main.bicep with the Bicep CLI");
}

if (problems.list.length > 0) {
  console.error(`\ninfra validation failed: ${problems.list.length} problem${problems.list.length === 1 ? "" : "s"}`);
  for (const p of problems.list) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`\ninfra validation passed (${manifests.length} files, ${relative(repoRoot, infra)}/)`);
