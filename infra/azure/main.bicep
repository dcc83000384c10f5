// SupportSlm on Azure: Azure Container Apps (2+ replicas, sticky sessions for the Blazor portal) with a shared
// database (Azure Database for PostgreSQL Flexible Server or Azure SQL), Azure Cache for Redis (the Direct Line
// backplane and widget rate limits) and an Azure Bot Service registration whose messaging endpoint is the app's
// /api/messages, with the Microsoft Teams channel on.
// Deploy: az deployment group create -g <group> -f infra/azure/main.bicep -p infra/azure/main.bicepparam

targetScope = 'resourceGroup'

@description('Prefix of every resource name (lower case letters and digits).')
@minLength(3)
@maxLength(16)
param namePrefix string

param location string = resourceGroup().location

@description('The SupportSlm image, built from infra/docker/Dockerfile and pushed to a registry, e.g. myregistry.azurecr.io/supportslm:1.0.0.')
param containerImage string

@description('Registry server of containerImage when it needs credentials (e.g. myregistry.azurecr.io); empty for a public image.')
param registryServer string = ''
param registryUsername string = ''
@secure()
param registryPassword string = ''

@description('Which shared database the instances use.')
@allowed(['PostgreSql', 'SqlServer'])
param databaseProvider string = 'PostgreSql'

param databaseAdminLogin string = 'supportslm'
@secure()
param databaseAdminPassword string

@minValue(1)
@maxValue(30)
param minReplicas int = 2
@minValue(1)
@maxValue(30)
param maxReplicas int = 6

@description('Microsoft App ID (client ID) of the Entra app registration the bot signs in with.')
param botAppId string
@secure()
@description('Client secret of that app registration (the host uses it to send replies).')
param botAppPassword string
@allowed(['SingleTenant', 'UserAssignedMSI'])
param botAppType string = 'SingleTenant'
@description('Name of the SupportSlm bot that answers on Teams (the host seeds "default" on first start).')
param botName string = 'default'
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@secure()
@description('Base64 of 32 random bytes: signs Direct Line tokens, the same on every replica.')
param directLineTokenSigningKey string
@secure()
@description('Direct Line secret of the bot botName (what a website backend exchanges for tokens).')
param directLineSecret string

var appName = '${namePrefix}-app'
var databaseName = 'supportslm'
var usePostgres = databaseProvider == 'PostgreSql'

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = if (usePostgres) {
  name: '${namePrefix}-pg'
  location: location
  sku: {
    name: 'Standard_B2s'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: databaseAdminLogin
    administratorLoginPassword: databaseAdminPassword
    storage: { storageSizeGB: 32 }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = if (usePostgres) {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0–0.0.0.0 is Azure's "allow Azure services" rule: the Container Apps environment has no fixed outbound address.
resource postgresAzureAccess 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (usePostgres) {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource sqlServer 'Microsoft.Sql/servers@2023-08-01' = if (!usePostgres) {
  name: '${namePrefix}-sql'
  location: location
  properties: {
    administratorLogin: databaseAdminLogin
    administratorLoginPassword: databaseAdminPassword
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource sqlDatabase 'Microsoft.Sql/servers/databases@2023-08-01' = if (!usePostgres) {
  parent: sqlServer
  name: databaseName
  location: location
  sku: {
    name: 'S1'
    tier: 'Standard'
  }
}

resource sqlAzureAccess 'Microsoft.Sql/servers/firewallRules@2023-08-01' = if (!usePostgres) {
  parent: sqlServer
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource redis 'Microsoft.Cache/redis@2024-03-01' = {
  name: '${namePrefix}-redis'
  location: location
  properties: {
    sku: {
      name: 'Basic'
      family: 'C'
      capacity: 0
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
  }
}

var postgresConnectionString = 'Host=${namePrefix}-pg.postgres.database.azure.com;Port=5432;Database=${databaseName};Username=${databaseAdminLogin};Password=${databaseAdminPassword};SSL Mode=Require'
var sqlConnectionString = 'Server=tcp:${namePrefix}-sql${az.environment().suffixes.sqlServerHostname},1433;Database=${databaseName};User ID=${databaseAdminLogin};Password=${databaseAdminPassword};Encrypt=True;TrustServerCertificate=False'
var redisConfiguration = '${redis.properties.hostName}:${redis.properties.sslPort},password=${redis.listKeys().primaryKey},ssl=True,abortConnect=False'
// The app's address is known before it exists: <app name>.<environment default domain>.
var publicHost = '${appName}.${environment.properties.defaultDomain}'

var registrySecrets = empty(registryServer) ? [] : [{ name: 'registry-password', value: registryPassword }]
var registries = empty(registryServer) ? [] : [{ server: registryServer, username: registryUsername, passwordSecretRef: 'registry-password' }]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 8080
        // HTTP/1.1 with WebSocket upgrades (Direct Line streams, Blazor circuits).
        transport: 'auto'
        allowInsecure: false
        // The Blazor Server portal keeps its circuit in one replica's memory.
        stickySessions: { affinity: 'sticky' }
      }
      registries: registries
      secrets: concat(registrySecrets, [
        { name: 'database-connection', value: usePostgres ? postgresConnectionString : sqlConnectionString }
        { name: 'redis-configuration', value: redisConfiguration }
        { name: 'directline-signing-key', value: directLineTokenSigningKey }
        { name: 'directline-secret', value: directLineSecret }
        { name: 'bot-app-password', value: botAppPassword }
      ])
    }
    template: {
      containers: [
        {
          name: 'supportslm'
          image: containerImage
          resources: {
            cpu: json('2.0')
            memory: '4Gi'
          }
          env: [
            { name: 'Persistence__Provider', value: databaseProvider }
            { name: 'Persistence__ConnectionString', secretRef: 'database-connection' }
            { name: 'Persistence__MigrateOnStartup', value: 'true' }
            { name: 'Channels__Redis', secretRef: 'redis-configuration' }
            { name: 'Channels__DirectLine__TokenSigningKey', secretRef: 'directline-signing-key' }
            { name: 'Channels__DirectLine__Secrets__${botName}__0', secretRef: 'directline-secret' }
            { name: 'Channels__BotConnector__AppId', value: botAppId }
            { name: 'Channels__BotConnector__AppPassword', secretRef: 'bot-app-password' }
            { name: 'Channels__BotConnector__TenantId', value: botAppType == 'SingleTenant' ? tenant().tenantId : '' }
            { name: 'Channels__BotConnector__BotName', value: botName }
            { name: 'Admin__PublicBaseUrl', value: 'https://${publicHost}' }
            { name: 'Admin__TeamsBotAppId', value: botAppId }
            { name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }
            { name: 'Telemetry__ServiceName', value: 'supportslm' }
          ]
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/alive', port: 8080 }
              periodSeconds: 5
              failureThreshold: 60
            }
            {
              type: 'Readiness'
              httpGet: { path: '/health', port: 8080 }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Liveness'
              httpGet: { path: '/alive', port: 8080 }
              periodSeconds: 20
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'concurrent-requests'
            http: { metadata: { concurrentRequests: '20' } }
          }
        ]
      }
    }
  }
  dependsOn: [postgresDatabase, postgresAzureAccess, sqlDatabase, sqlAzureAccess]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${namePrefix}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: botName
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppId: botAppId
    msaAppType: botAppType
    msaAppTenantId: botAppType == 'SingleTenant' ? tenant().tenantId : null
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output appUrl string = 'https://${app.properties.configuration.ingress.fqdn}'
output messagingEndpoint string = bot.properties.endpoint
output databaseProvider string = databaseProvider
