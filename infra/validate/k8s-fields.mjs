// Unknown fields in Kubernetes objects. The OpenAPI schemas allow them, but the API server rejects them (kubectl's
// strict field validation) or, on older servers, drops them silently — a misspelt `readinesProbe` would just vanish.
// The field lists come from the TypeScript declarations kubernetes-models generates from the same OpenAPI document.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const declarations = new Map(); // .d.ts path -> { imports, interfaces }

function declarationFile(specifier, fromFile) {
  if (specifier.startsWith(".")) return join(dirname(fromFile), specifier.replace(/\.js$/, ".d.ts"));
  const [scope, name, ...rest] = specifier.split("/");
  const root = dirname(require.resolve(`${scope}/${name}/package.json`));
  return join(root, `${rest.join("/")}.d.ts`);
}

/** Splits an interface body into "name" -> type text, at brace/angle depth 0. */
function properties(body) {
  const props = new Map();
  const text = body.replace(/\/\*[\s\S]*?\*\//g, "");
  const re = /"([^"]+)"\??:\s*/g;
  let m;
  while ((m = re.exec(text))) {
    let depth = 0, i = re.lastIndex;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "{" || c === "<" || c === "(") depth++;
      else if (c === "}" || c === ">" || c === ")") depth--;
      else if (c === ";" && depth === 0) break;
    }
    props.set(m[1], text.slice(re.lastIndex, i).trim());
    re.lastIndex = i + 1;
  }
  return props;
}

function load(file) {
  if (declarations.has(file)) return declarations.get(file);
  const source = existsSync(file) ? readFileSync(file, "utf8") : "";
  const imports = new Map();
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) imports.set(name, m[2]);
  }
  const interfaces = new Map();
  for (const m of source.matchAll(/export interface (\w+)(?: extends ([\w, ]+))? \{/g)) {
    let depth = 0, i = m.index + m[0].length - 1;
    const start = i;
    for (; i < source.length; i++) {
      if (source[i] === "{") depth++;
      else if (source[i] === "}" && --depth === 0) break;
    }
    interfaces.set(m[1], { props: properties(source.slice(start + 1, i)), typeMeta: /TypeMeta/.test(m[2] ?? "") });
  }
  const entry = { imports, interfaces, file };
  declarations.set(file, entry);
  return entry;
}

/** The interface a type name denotes from `file`: a local interface, or the (first) interface of the imported model file. */
function resolveInterface(name, file) {
  const here = load(file);
  if (here.interfaces.has(name)) return { ...here.interfaces.get(name), file };
  const specifier = here.imports.get(name);
  if (!specifier) return undefined;
  const target = load(declarationFile(specifier, file));
  const first = target.interfaces.values().next().value;
  return first ? { ...first, file: target.file } : undefined;
}

function walk(value, type, file, path, out) {
  if (value === null || typeof value !== "object") return;
  let m;
  if ((m = /^Array<(.+)>$/s.exec(type))) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, m[1].trim(), file, `${path}[${i}]`, out));
    return;
  }
  if ((m = /^\{\s*\[key: string\]:\s*(.+?);?\s*\}$/s.exec(type))) {
    for (const [k, v] of Object.entries(value)) walk(v, m[1].trim(), file, `${path}.${k}`, out);
    return;
  }
  if (!/^\w+$/.test(type)) return;
  const definition = resolveInterface(type, file);
  if (!definition || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (definition.typeMeta && (key === "apiVersion" || key === "kind")) continue;
    if (!definition.props.has(key)) {
      out.push(`${path}.${key} is not a field here (known: ${[...definition.props.keys()].join(", ")})`);
      continue;
    }
    walk(child, definition.props.get(key), definition.file, `${path}.${key}`, out);
  }
}

/** Problems for every field of `object` that its kind does not define. */
export function unknownFields(object) {
  const file = join(dirname(require.resolve("kubernetes-models/package.json")), object.apiVersion, `${object.kind}.d.ts`);
  const [model] = load(file).interfaces.keys();
  if (!model) return [`no type declarations for ${object.apiVersion} ${object.kind}`];
  const out = [];
  walk(object, model, file, object.kind, out);
  return out;
}
