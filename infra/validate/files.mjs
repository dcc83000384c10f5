// Reading and parsing the manifests under infra/, with problems reported as "file: message" lines.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";

export class Problems {
  constructor(repoRoot) {
    this.repoRoot = repoRoot;
    this.list = [];
  }

  add(file, message) {
    // The same file may be read by two checks (syntax, then content): report each problem once.
    const line = `${relative(this.repoRoot, file)}: ${message}`;
    if (!this.list.includes(line)) this.list.push(line);
  }

  addAll(file, messages) {
    for (const m of messages) this.add(file, m);
  }
}

/** Every file under `dir` (recursively), skipping dependency folders. */
export function listFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else files.push(path);
  }
  return files;
}

/**
 * The documents of a YAML file as plain objects; syntax errors, duplicate keys and unresolved aliases become problems.
 * Merge keys (`<<: *anchor`) are resolved, as Compose does.
 */
export function readYaml(file, problems) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { merge: true, uniqueKeys: true, prettyErrors: true });
  const values = [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.add(file, `YAML: ${e.message.split("\n")[0]}`);
    for (const w of doc.warnings) problems.add(file, `YAML: ${w.message.split("\n")[0]}`);
    if (doc.errors.length === 0) {
      const value = doc.toJS({ maxAliasCount: 100 });
      if (value !== null && value !== undefined) values.push(value);
    }
  }
  return values;
}

export function readJson(file, problems) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    problems.add(file, `JSON: ${e.message}`);
    return undefined;
  }
}

/** KEY=VALUE lines of an env file (comments and blank lines skipped); malformed lines are problems. */
export function readEnvFile(file, problems) {
  const entries = [];
  readFileSync(file, "utf8").split("\n").forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (!m) problems.add(file, `line ${i + 1} is not KEY=VALUE: ${trimmed}`);
    else entries.push({ name: m[1], value: m[2] });
  });
  return entries;
}
