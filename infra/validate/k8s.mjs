// infra/k8s: each object against the Kubernetes OpenAPI schema of its kind (kubernetes-models) and its field list,
// the kustomization's resource list, the references between objects (selectors, ports, names), and the rules the issue
// sets for the Deployment (probes on /health and /alive, resources, non-root).
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { readYaml } from "./files.mjs";
import { unknownFields } from "./k8s-fields.mjs";

async function validateKind(object) {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["has no apiVersion/kind"];
  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return [`${apiVersion} ${kind} is not a Kubernetes API kind known to kubernetes-models`];
  }
  const problems = unknownFields(object).map((m) => `${kind} ${object.metadata?.name}: ${m}`);
  try {
    new model(object).validate();
  } catch (e) {
    problems.push(`${kind} ${object.metadata?.name}: ${e.message}`);
  }
  return problems;
}

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

function checkDeployment(d, objects, settings, problems) {
  const out = [];
  const name = `Deployment ${d.metadata.name}`;
  const pod = d.spec.template;
  if (!matches(d.spec.selector?.matchLabels, pod.metadata?.labels)) out.push(`${name}: selector does not match the pod template labels`);
  const podSecurity = pod.spec.securityContext ?? {};
  for (const c of pod.spec.containers) {
    const where = `${name} container ${c.name}`;
    const security = { ...podSecurity, ...c.securityContext };
    if (security.runAsNonRoot !== true) out.push(`${where}: runAsNonRoot must be true`);
    if (security.runAsUser === 0) out.push(`${where}: runAsUser must not be 0`);
    if (c.securityContext?.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation must be false`);
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) {
      out.push(`${where}: needs resources.requests (cpu, memory) and resources.limits.memory`);
    }
    if (c.readinessProbe?.httpGet?.path !== "/health") out.push(`${where}: readinessProbe must GET /health (ready while the database answers)`);
    if (c.livenessProbe?.httpGet?.path !== "/alive") out.push(`${where}: livenessProbe must GET /alive (a database outage must not restart pods)`);
    const portNames = new Set((c.ports ?? []).map((p) => p.name));
    const portNumbers = new Set((c.ports ?? []).map((p) => p.containerPort));
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
      const port = probe.httpGet?.port;
      if (typeof port === "string" ? !portNames.has(port) : !portNumbers.has(port)) out.push(`${where}: a probe uses port ${port}, which the container does not declare`);
    }
    const mounts = new Set((pod.spec.volumes ?? []).map((v) => v.name));
    for (const m of c.volumeMounts ?? []) if (!mounts.has(m.name)) out.push(`${where}: mounts volume ${m.name}, which the pod does not declare`);
    for (const e of c.env ?? []) out.push(...settings.check(e.name, e.value).map((m) => `${where}: ${m}`));
    for (const source of c.envFrom ?? []) {
      const ref = source.configMapRef ?? source.secretRef;
      const kind = source.configMapRef ? "ConfigMap" : "Secret";
      const target = objects.find((o) => o.kind === kind && o.metadata?.name === ref?.name);
      if (!target) {
        out.push(`${where}: envFrom names ${kind} ${ref?.name}, which is not in the kustomization`);
        continue;
      }
      for (const [key, value] of Object.entries({ ...target.data, ...target.stringData })) {
        problems.addAll(target.__file, settings.check(key, value).map((m) => `${kind} ${target.metadata.name}: ${m}`));
      }
    }
  }
  return out;
}

function checkReferences(objects) {
  const out = [];
  const deployments = objects.filter((o) => o.kind === "Deployment");
  const services = objects.filter((o) => o.kind === "Service");
  const podsOf = (selector) => deployments.filter((d) => matches(selector, d.spec.template.metadata?.labels));
  for (const s of services) {
    const pods = podsOf(s.spec.selector);
    if (pods.length === 0) out.push(`Service ${s.metadata.name}: selector matches no Deployment's pods`);
    for (const p of s.spec.ports ?? []) {
      if (typeof p.targetPort !== "string") continue;
      const declared = pods.some((d) => d.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort)));
      if (!declared) out.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is not a named port of its pods`);
    }
  }
  for (const i of objects.filter((o) => o.kind === "Ingress")) {
    const annotations = i.metadata.annotations ?? {};
    if (!annotations["nginx.ingress.kubernetes.io/affinity"]) out.push(`Ingress ${i.metadata.name}: no session affinity annotation (the Blazor portal needs sticky sessions)`);
    if (Number(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"] ?? 60) < 300) out.push(`Ingress ${i.metadata.name}: proxy-read-timeout below 300 s closes idle WebSockets`);
    for (const rule of i.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        const service = services.find((s) => s.metadata.name === backend?.name);
        if (!service) out.push(`Ingress ${i.metadata.name}: backend service ${backend?.name} is not in the kustomization`);
        else if (!(service.spec.ports ?? []).some((p) => p.name === backend.port.name || p.port === backend.port.number)) {
          out.push(`Ingress ${i.metadata.name}: service ${backend.name} has no port ${backend.port.name ?? backend.port.number}`);
        }
      }
    }
  }
  for (const h of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    const target = h.spec.scaleTargetRef;
    if (!objects.some((o) => o.kind === target.kind && o.metadata.name === target.name)) out.push(`HorizontalPodAutoscaler ${h.metadata.name}: target ${target.kind} ${target.name} is not in the kustomization`);
    if ((h.spec.minReplicas ?? 1) < 2) out.push(`HorizontalPodAutoscaler ${h.metadata.name}: minReplicas below 2 leaves no instance during a restart`);
  }
  for (const p of objects.filter((o) => o.kind === "PodDisruptionBudget")) {
    if (podsOf(p.spec.selector?.matchLabels).length === 0) out.push(`PodDisruptionBudget ${p.metadata.name}: selector matches no Deployment's pods`);
  }
  for (const kind of ["Deployment", "Service", "Ingress", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"]) {
    if (!objects.some((o) => o.kind === kind)) out.push(`the kustomization has no ${kind}`);
  }
  return out;
}

// The kustomize.config.k8s.io/v1beta1 Kustomization fields (kustomize has no published JSON schema of its own).
const KUSTOMIZATION_FIELDS = new Set([
  "apiVersion", "kind", "metadata", "namespace", "namePrefix", "nameSuffix", "labels", "commonLabels", "commonAnnotations",
  "resources", "components", "images", "replicas", "patches", "configMapGenerator", "secretGenerator", "generatorOptions",
  "transformers", "generators", "validators", "openapi", "crds", "buildMetadata", "helmCharts", "sortOptions", "replacements",
]);

export async function checkKubernetes(dir, { problems, settings }) {
  const kustomizationFile = join(dir, "kustomization.yaml");
  if (!existsSync(kustomizationFile)) {
    problems.add(dir, "kustomization.yaml is missing");
    return;
  }
  const [kustomization] = readYaml(kustomizationFile, problems);
  if (!kustomization) return;
  if (kustomization.kind !== "Kustomization") problems.add(kustomizationFile, "kind must be Kustomization");
  for (const key of Object.keys(kustomization)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) problems.add(kustomizationFile, `'${key}' is not a Kustomization field`);
  }
  const listed = new Set(kustomization.resources ?? []);
  const manifests = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml");
  for (const r of listed) if (!existsSync(join(dir, r))) problems.add(kustomizationFile, `resource ${r} does not exist`);
  for (const f of manifests) if (!listed.has(f)) problems.add(kustomizationFile, `${f} is not listed under resources (it would never be applied)`);

  const objects = [];
  for (const f of manifests) {
    const file = join(dir, f);
    for (const object of readYaml(file, problems)) {
      problems.addAll(file, await validateKind(object));
      object.__file = file;
      objects.push(object);
    }
  }
  const images = new Set((kustomization.images ?? []).map((i) => i.name));
  for (const d of objects.filter((o) => o.kind === "Deployment")) {
    problems.addAll(d.__file, checkDeployment(d, objects, settings, problems));
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      if (!images.has(c.image)) problems.add(d.__file, `container ${c.name} image '${c.image}' is not set by the kustomization's images:`);
    }
  }
  problems.addAll(kustomizationFile, checkReferences(objects));
  return { files: manifests.map((f) => basename(f)) };
}
