// infra/azure: the ARM template that `bicep build` compiled from main.bicep (Bicep itself already checked types and
// API versions), checked for what SupportSlm needs from it: real host settings, probes, sticky sessions, and the
// Azure Bot Service registration with /api/messages and the Teams channel.
import { readJson } from "./files.mjs";

/** An env name as ARM writes it: a literal, or "[format('A__{0}__0', ...)]" with each placeholder standing for a name. */
function envName(name) {
  const m = /^\[format\('([^']*)'/.exec(name);
  return m ? m[1].replace(/\{\d+\}/g, "placeholder") : name;
}

export function checkArmTemplate(file, { problems, settings, reportAs = file }) {
  const template = readJson(file, problems);
  if (!template) return;
  const resources = Array.isArray(template.resources) ? template.resources : Object.values(template.resources ?? {});
  const ofType = (type) => resources.filter((r) => r.type === type);

  const apps = ofType("Microsoft.App/containerApps").concat(ofType("Microsoft.Web/sites"));
  if (apps.length === 0) problems.add(reportAs, "no Container App (or App Service) runs SupportSlm");
  for (const app of ofType("Microsoft.App/containerApps")) {
    const ingress = app.properties?.configuration?.ingress ?? {};
    if (ingress.targetPort !== 8080) problems.add(reportAs, `container app ingress targetPort is ${ingress.targetPort}, the image listens on 8080`);
    if (ingress.stickySessions?.affinity !== "sticky") problems.add(reportAs, "container app ingress needs stickySessions.affinity = sticky (Blazor Server portal)");
    // Secrets built with concat() are an ARM expression here, known only at deployment: then only literal lists are checked.
    const secrets = app.properties?.configuration?.secrets;
    const secretNames = Array.isArray(secrets) ? new Set(secrets.map((s) => s.name)) : undefined;
    for (const container of app.properties?.template?.containers ?? []) {
      for (const e of container.env ?? []) {
        problems.addAll(reportAs, settings.check(envName(e.name), e.value).map((m) => `container ${container.name}: ${m}`));
        if (e.secretRef && secretNames && !secretNames.has(e.secretRef)) problems.add(reportAs, `container ${container.name}: ${e.name} uses secret ${e.secretRef}, which the app does not define`);
      }
      const probe = (type) => (container.probes ?? []).find((p) => p.type === type)?.httpGet?.path;
      if (probe("Readiness") !== "/health") problems.add(reportAs, `container ${container.name}: the Readiness probe must GET /health`);
      if (probe("Liveness") !== "/alive") problems.add(reportAs, `container ${container.name}: the Liveness probe must GET /alive`);
    }
  }

  const bots = ofType("Microsoft.BotService/botServices");
  if (bots.length !== 1) problems.add(reportAs, `expected one Azure Bot Service registration, found ${bots.length}`);
  for (const bot of bots) {
    if (!/\/api\/messages'?,?/.test(String(bot.properties?.endpoint))) problems.add(reportAs, `the bot's messaging endpoint ${bot.properties?.endpoint} is not /api/messages`);
  }
  const teams = ofType("Microsoft.BotService/botServices/channels").filter((c) => c.properties?.channelName === "MsTeamsChannel");
  if (teams.length === 0 || teams.some((t) => t.properties?.properties?.isEnabled !== true)) problems.add(reportAs, "the Microsoft Teams channel (MsTeamsChannel) is not registered and enabled");
  if (ofType("Microsoft.Cache/redis").length + ofType("Microsoft.Cache/redisEnterprise").length === 0) problems.add(reportAs, "no Redis for the instances to share");
}

/** The parameters file `bicep build-params` produced must set every template parameter that has no default. */
export function checkArmParameters(paramsFile, templateFile, { problems, reportAs = paramsFile }) {
  const parameters = readJson(paramsFile, problems)?.parameters ?? {};
  const template = readJson(templateFile, problems);
  for (const [name, p] of Object.entries(template?.parameters ?? {})) {
    if (p.defaultValue === undefined && !(name in parameters)) problems.add(reportAs, `parameter ${name} has no default and is not set`);
  }
}
