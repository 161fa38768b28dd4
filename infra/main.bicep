// Production infrastructure for BO Wonen: Table Storage reached with a managed identity (no keys),
// a Linux App Service running the Node 20 bot, and an Azure Bot registration connected to Teams.
// Deploy into an existing resource group; see infra/README.md.
targetScope = 'resourceGroup'

@description('Azure region for the storage account, identity and App Service. The Azure Bot itself is global.')
param location string = resourceGroup().location

@description('Short lowercase prefix for resource names.')
@minLength(2)
@maxLength(12)
param namePrefix string = 'bo-wonen'

@description('Name of the web app; it becomes <name>.azurewebsites.net, the bot domain. Must be globally unique.')
@maxLength(60)
param webAppName string = '${namePrefix}-${uniqueString(resourceGroup().id)}'

@description('Name of the Azure Bot resource (its handle). Must be globally unique.')
@maxLength(64)
param botName string = '${namePrefix}-bot-${uniqueString(resourceGroup().id)}'

@description('Storage account name: 3 to 24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'st${uniqueString(resourceGroup().id, namePrefix)}'

@description('Storage redundancy. ZRS keeps the data in three zones of the region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_ZRS'

@description('App Service plan size. Always On needs Basic (B1) or higher.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'P0v3'
  'P1v3'
])
param appServicePlanSku string = 'B1'

@description('Azure Bot pricing tier: F0 (free, Teams is a standard channel and costs nothing) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Entra tenant ids whose people may use the bot (municipalities and housing corporations). ALLOWED_TENANT_IDS.')
@minLength(1)
param allowedTenantIds array

@description('Entra object ids of the first secretariaat members, who can then approve others. BOOTSTRAP_ADMINS.')
param bootstrapAdmins array = []

@description('Log level of the bot. LOG_LEVEL.')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('Command that starts the bot on App Service, run in the deployed folder.')
param startCommand string = 'node dist/src/index.js'

@description('Tags for every resource.')
param tags object = {
  application: 'bo-wonen'
}

// Built-in role "Storage Table Data Contributor": read, write and delete tables and entities.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-identity'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Only Entra ID (the managed identity) gets in: no account keys, no SAS tokens.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    cors: {
      corsRules: []
    }
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${namePrefix}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true // required for Linux plans
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: startCommand
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/healthz'
      appSettings: [
        {
          name: 'STORAGE_ACCOUNT_URL'
          value: storage.properties.primaryEndpoints.table
        }
        {
          // DefaultAzureCredential picks the user-assigned identity by this client id.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MICROSOFT_APP_ID'
          value: identity.properties.clientId
        }
        {
          name: 'MICROSOFT_APP_TYPE'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MICROSOFT_APP_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          name: 'ALLOWED_TENANT_IDS'
          value: join(allowedTenantIds, ',')
        }
        {
          name: 'BOOTSTRAP_ADMINS'
          value: join(bootstrapAdmins, ',')
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          // App Service sets PORT itself; the bot listens on 127.0.0.1 unless told otherwise.
          name: 'HOST'
          value: '0.0.0.0'
        }
        {
          // The deployment zip already holds the built code and its node_modules.
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
      ]
    }
  }
  dependsOn: [
    // The bot must not start before it may read and write its tables.
    tableDataContributor
  ]
}

// No FTP or basic-auth deployments: deploy with an Entra sign-in (az webapp deploy).
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'BO Wonen'
    description: 'BO Wonen Gooi en Vechtstreek'
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
      acceptedTerms: true
    }
  }
}

@description('Client id of the bot identity: MICROSOFT_APP_ID for npm run package.')
output MICROSOFT_APP_ID string = identity.properties.clientId

@description('Host name of the web app: BOT_DOMAIN for npm run package.')
output BOT_DOMAIN string = webApp.properties.defaultHostName

@description('Table endpoint the bot uses.')
output STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.table

@description('Name of the web app, for az webapp deploy.')
output webAppName string = webApp.name

@description('Name of the Azure Bot resource.')
output botName string = bot.name
