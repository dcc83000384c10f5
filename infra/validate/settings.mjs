// The settings the host really reads, taken from the options classes in src/ (the classes that declare
// `const string Section = "..."`), so a deployment manifest cannot set a misspelt or removed setting unnoticed.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

// Names read by ASP.NET Core / .NET themselves rather than by an options class of ours.
const FRAMEWORK_VARIABLES = new Set([
  "ASPNETCORE_URLS",
  "ASPNETCORE_HTTP_PORTS",
  "ASPNETCORE_ENVIRONMENT",
  "ASPNETCORE_FORWARDEDHEADERS_ENABLED",
  "DOTNET_ENVIRONMENT",
]);
// Framework configuration sections whose keys are open-ended (logging categories, console formatters).
const FRAMEWORK_SECTIONS = new Set(["logging"]);

function csharpFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "bin" || entry.name === "obj" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...csharpFiles(path));
    else if (entry.name.endsWith(".cs")) files.push(path);
  }
  return files;
}

/** The text of the braces that open at or after `from` (class bodies; C# strings with braces are rare in options classes). */
function bracedBody(text, from) {
  const open = text.indexOf("{", from);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

function parseSources(srcDir) {
  const classes = new Map();
  const enums = new Map();
  const literals = new Set();
  for (const file of csharpFiles(srcDir)) {
    const text = readFileSync(file, "utf8").replace(/(^|\s)\/\/.*$/gm, "$1");
    for (const m of text.matchAll(/"([A-Z][A-Z0-9_]{3,})"/g)) literals.add(m[1]);
    for (const m of text.matchAll(/\benum\s+(\w+)\s*(?::\s*\w+\s*)?\{([^}]*)\}/g)) {
      enums.set(m[1], m[2].split(",").map((s) => s.replace(/\/\/\/.*$/gm, "").replace(/=.*/s, "").trim()).filter(Boolean));
    }
    for (const m of text.matchAll(/\b(?:class|record)\s+(\w+)/g)) {
      const body = bracedBody(text, m.index);
      const properties = new Map();
      for (const p of body.matchAll(/public\s+([\w<>\[\]?,. ]+?)\s+(\w+)\s*\{\s*get;\s*(?:set|init);\s*\}/g)) {
        properties.set(p[2], p[1].replace(/\s+/g, ""));
      }
      // Text settings parsed into an enum: `Enum.TryParse<Kind>(Property, ...)`.
      const parsedAs = new Map();
      for (const e of body.matchAll(/Enum\.TryParse<(\w+)>\((\w+)/g)) parsedAs.set(e[2], e[1]);
      const section = /const\s+string\s+Section\s*=\s*"([^"]+)"/.exec(body)?.[1];
      classes.set(m[1], { properties, parsedAs, section });
    }
  }
  return { classes, enums, literals };
}

/**
 * Loads the settings model from the repository's src/ folder. `check(name, value)` returns a list of problems for one
 * environment variable (empty when it is a real setting with an acceptable value).
 */
export function loadSettings(repoRoot) {
  const { classes, enums, literals } = parseSources(join(repoRoot, "src"));
  const sections = new Map();
  for (const [name, c] of classes) if (c.section) sections.set(c.section.toLowerCase(), { name: c.section, type: name });
  if (sections.size === 0) throw new Error("no options classes (const string Section) found under src/");

  const describe = (type) => {
    const t = type.replace(/\?$/, "");
    let m;
    if ((m = /^(?:Dictionary|IDictionary|IReadOnlyDictionary)<string,(.+)>$/.exec(t))) return { kind: "map", of: m[1] };
    if ((m = /^(.+)\[\]$/.exec(t)) || (m = /^(?:List|IList|IReadOnlyList|IEnumerable)<(.+)>$/.exec(t))) return { kind: "array", of: m[1] };
    if (classes.has(t) && classes.get(t).properties.size > 0) return { kind: "object", type: t };
    if (enums.has(t)) return { kind: "leaf", type: t, values: enums.get(t) };
    return { kind: "leaf", type: t };
  };

  function checkValue(setting, leaf, value) {
    if (value === undefined || value === null) return [];
    const text = String(value);
    // Interpolated (${VAR}) or computed (ARM "[...]") values are only known at deployment time.
    if (text.includes("${") || text.startsWith("[")) return [];
    if (leaf.values) {
      const ok = leaf.values.some((v) => v.toLowerCase() === text.toLowerCase()) || /^\d+$/.test(text);
      return ok ? [] : [`${setting} = '${text}' is not one of ${leaf.values.join(", ")}`];
    }
    if (leaf.type === "bool" && !/^(true|false)$/i.test(text)) return [`${setting} = '${text}' is not true or false`];
    if ((leaf.type === "int" || leaf.type === "long") && !/^-?\d+$/.test(text)) return [`${setting} = '${text}' is not an integer`];
    if (leaf.type === "double" && Number.isNaN(Number(text))) return [`${setting} = '${text}' is not a number`];
    if (leaf.type === "TimeSpan" && !/^-?(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return [`${setting} = '${text}' is not a TimeSpan (hh:mm:ss)`];
    return [];
  }

  function check(name, value) {
    if (FRAMEWORK_VARIABLES.has(name)) return [];
    if (/^SUPPORTSLM_[A-Z0-9_]+$/.test(name)) {
      return literals.has(name) ? [] : [`${name} is not read anywhere in src/ (no "${name}" literal)`];
    }
    const segments = name.split("__");
    if (segments.length < 2) return [`${name} is neither a host setting (Section__Key) nor a known ASP.NET Core variable`];
    const root = segments[0].toLowerCase();
    if (FRAMEWORK_SECTIONS.has(root)) return [];
    const section = sections.get(root);
    if (!section) return [`${name}: '${segments[0]}' is not a settings section (known: ${[...sections.values()].map((s) => s.name).sort().join(", ")})`];

    let node = { kind: "object", type: section.type };
    let path = section.name;
    for (const segment of segments.slice(1)) {
      if (node.kind === "object") {
        const c = classes.get(node.type);
        const property = [...c.properties.keys()].find((p) => p.toLowerCase() === segment.toLowerCase());
        if (!property) return [`${name}: ${path} has no setting '${segment}' (it has ${[...c.properties.keys()].join(", ")})`];
        const described = describe(c.properties.get(property));
        if (described.kind === "leaf" && c.parsedAs.has(property)) described.values = enums.get(c.parsedAs.get(property));
        node = described;
        path += `:${property}`;
      } else if (node.kind === "map") {
        node = describe(node.of);
        path += `:${segment}`;
      } else if (node.kind === "array") {
        if (!/^\d+$/.test(segment)) return [`${name}: ${path} is a list, so '${segment}' must be an index (0, 1, ...)`];
        node = describe(node.of);
        path += `:${segment}`;
      } else {
        return [`${name}: ${path} is a single value and has no '${segment}'`];
      }
    }
    if (node.kind !== "leaf") {
      const what = node.kind === "array" ? "a list (set NAME__0, NAME__1, ...)" : "a group of settings (set its entries)";
      return [`${name}: ${path} is ${what}, not a single value`];
    }
    return checkValue(name, node, value);
  }

  return { check, sections: [...sections.values()].map((s) => s.name) };
}
