// infra/docker/Dockerfile: the linter of the VS Code Docker extension (dockerfile-utils), then what a build would
// find out late: COPY sources missing from (or ignored in) the build context, settings the host does not have,
// image paths nothing copies, and the runtime stage's user, port and health check.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { validate as lint, ValidationSeverity } from "dockerfile-utils";

/** .dockerignore patterns that exclude a top-level path (e.g. "tests/", "*.user"); nested "** /x/" patterns are not needed here. */
function ignoredBy(patterns, source) {
  const path = source.replace(/^\.\//, "").replace(/\/$/, "");
  return patterns.find((p) => {
    const pattern = p.replace(/^\//, "").replace(/\/$/, "");
    if (pattern.includes("**")) return false;
    const regex = new RegExp(`^${pattern.replace(/[.+^$()|{}[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}(/|$)`);
    return regex.test(path);
  });
}

export function checkDockerfile(file, { problems, settings, repoRoot }) {
  const content = readFileSync(file, "utf8");
  for (const d of lint(content)) {
    const severity = d.severity === ValidationSeverity.ERROR ? "error" : "warning";
    problems.add(file, `line ${d.range.start.line + 1}: ${severity}: ${d.message}`);
  }

  const dockerignore = join(repoRoot, ".dockerignore");
  const patterns = existsSync(dockerignore)
    ? readFileSync(dockerignore, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#") && !l.startsWith("!"))
    : [];

  const dockerfile = DockerfileParser.parse(content);
  const froms = dockerfile.getFROMs();
  const finalStageStart = froms[froms.length - 1]?.getRange().start.line ?? 0;
  const copiedInto = []; // [destination in the image, source in the repository]
  let user, healthcheck, exposed = [], urls;

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    const inFinalStage = instruction.getRange().start.line >= finalStageStart;
    if (keyword === "COPY" || keyword === "ADD") {
      if (instruction.getFlags().some((f) => f.getName() === "from")) continue;
      const args = instruction.getArguments().map((a) => a.getValue());
      const [sources, destination] = [args.slice(0, -1), args[args.length - 1]];
      for (const source of sources) {
        if (!existsSync(join(repoRoot, source))) problems.add(file, `line ${line}: COPY source ${source} does not exist in the build context (the repository root)`);
        const pattern = ignoredBy(patterns, source);
        if (pattern) problems.add(file, `line ${line}: COPY source ${source} is excluded by .dockerignore ('${pattern}')`);
        if (inFinalStage) copiedInto.push([destination, source]);
      }
    } else if (keyword === "ENV") {
      for (const property of instruction.getProperties()) {
        const name = property.getName();
        const value = property.getValue() ?? "";
        problems.addAll(file, settings.check(name, value).map((m) => `line ${line}: ${m}`));
        if (name === "ASPNETCORE_URLS") urls = value;
        if (inFinalStage && value.startsWith("/app/")) checkImagePath(name, value, line);
      }
    } else if (inFinalStage && keyword === "USER") {
      user = instruction.getArgumentsContent();
    } else if (inFinalStage && keyword === "HEALTHCHECK") {
      healthcheck = instruction.getArgumentsContent() ?? "";
    } else if (inFinalStage && keyword === "EXPOSE") {
      exposed = instruction.getArguments().map((a) => a.getValue().split("/")[0]);
    }
  }

  // A path the image settings point at must come from a COPY into the final stage of something that exists.
  function checkImagePath(name, value, line) {
    if (value === "/app/libonnxruntime.so.1") return; // produced by the publish step, checked there with `test -s`
    const workdirApp = (destination) => (destination.startsWith("/") ? destination : `/app/${destination.replace(/^\.\//, "")}`);
    const under = (destination) => `${value}/`.startsWith(workdirApp(destination).replace(/\/?$/, "/"));
    const hit = copiedInto.find(([destination]) => under(destination));
    if (!hit) {
      problems.add(file, `line ${line}: ${name}=${value} points into the image, but no COPY in the final stage puts anything there`);
      return;
    }
    const [destination, source] = hit;
    const inRepo = join(repoRoot, source, `${value}/`.slice(workdirApp(destination).replace(/\/?$/, "/").length)).replace(/\/$/, "");
    if (!existsSync(inRepo)) problems.add(file, `line ${line}: ${name}=${value} does not exist in the image (no ${inRepo.slice(repoRoot.length + 1)} in the repository)`);
  }

  if (!user || /^(root|0)(:|$)/.test(user)) problems.add(file, "the final stage must switch to a non-root USER");
  if (!healthcheck?.includes("/health")) problems.add(file, "the final stage needs a HEALTHCHECK that asks /health");
  const port = /:(\d+)/.exec(urls ?? "")?.[1];
  if (!port) problems.add(file, "ASPNETCORE_URLS must name the port the host listens on (the host binds loopback otherwise)");
  else if (!exposed.includes(port)) problems.add(file, `EXPOSE does not include ${port}, the port of ASPNETCORE_URLS`);
  else if (healthcheck && !healthcheck.includes(port)) problems.add(file, `the HEALTHCHECK does not use port ${port}`);
}
