// Parameters for main.bicep. Secrets are read from environment variables at deployment time, never stored here:
//   export SUPPORTSLM_DB_ADMIN_PASSWORD=... SUPPORTSLM_BOT_APP_PASSWORD=... \
//          SUPPORTSLM_DIRECTLINE_SIGNING_KEY=$(openssl rand -base64 32) SUPPORTSLM_DIRECTLINE_SECRET=...
//   az deployment group create -g <group> -f infra/azure/main.bicep -p infra/azure/main.bicepparam
using 'main.bicep'

param namePrefix = 'supportslm'
param containerImage = 'myregistry.azurecr.io/supportslm:1.0.0'
param registryServer = 'myregistry.azurecr.io'
param registryUsername = 'myregistry'
param registryPassword = readEnvironmentVariable('SUPPORTSLM_REGISTRY_PASSWORD', '')
param databaseProvider = 'PostgreSql'
param databaseAdminPassword = readEnvironmentVariable('SUPPORTSLM_DB_ADMIN_PASSWORD')
param minReplicas = 2
param maxReplicas = 6
param botAppId = '00000000-0000-0000-0000-000000000000'
param botAppPassword = readEnvironmentVariable('SUPPORTSLM_BOT_APP_PASSWORD')
param botAppType = 'SingleTenant'
param botName = 'default'
param directLineTokenSigningKey = readEnvironmentVariable('SUPPORTSLM_DIRECTLINE_SIGNING_KEY')
param directLineSecret = readEnvironmentVariable('SUPPORTSLM_DIRECTLINE_SECRET')
