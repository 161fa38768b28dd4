// Production infrastructure for BO Wonen: Table and Queue Storage reached with a managed identity (no keys),
// a Linux App Service running the bot on Node 22 LTS, an Azure Bot registration connected to Teams, and
// Log Analytics with Application Insights for logs and traces. Deploy into an existing resource group;
// see infra/README.md.
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

@description('Number of web app instances (App Service plan capacity). More than one is safe with the shared outbox queue; B1–B3 allow at most 3, S1/S2 10, P0v3/P1v3 30.')
@minValue(1)
@maxValue(10)
param instanceCount int = 1

@description('Seconds a member\'s role may be read from memory. With several instances, a change made on one shows on the others after at most this. MEMBER_CACHE_SECONDS.')
@minValue(0)
@maxValue(600)
param memberCacheSeconds int = 30

@description('How the storage account is reached: vnet = only from the web app\'s virtual network (service endpoint) and storageAllowedIpRanges; private = private endpoints only, no public network access at all; public = from anywhere (still Entra ID only).')
@allowed([
  'vnet'
  'private'
  'public'
])
param storageNetworkAccess string = 'vnet'

@description('Public IP addresses or CIDR ranges (IPv4) that may reach the storage account in vnet mode, such as the office of the people who run backups or use the portal\'s storage browser.')
param storageAllowedIpRanges array = []

@description('Address space of the virtual network for vnet and private mode: two /24 subnets are taken from its start.')
param vnetAddressPrefix string = '10.60.0.0/22'

@description('Days Log Analytics keeps logs and traces (30–730; beyond 31 days costs extra).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

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

@description('Prefix of every table name. TABLE_PREFIX. Change it to switch the bot to tables restored under another prefix.')
@minLength(1)
@maxLength(30)
param tablePrefix string = 'bowonen'

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
// Built-in role "Storage Queue Data Contributor": the outbox shared by all instances (Azure Queue Storage).
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

var networked = storageNetworkAccess != 'public'
var appSubnetPrefix = cidrSubnet(vnetAddressPrefix, 24, 0)
var privateEndpointSubnetPrefix = cidrSubnet(vnetAddressPrefix, 24, 1)
// Storage services the bot uses, each with its private DNS zone in private mode.
var storageServices = [
  'table'
  'queue'
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

// Workspace-based: requests, dependencies and exceptions land in the workspace as AppRequests, AppDependencies
// and AppExceptions, next to the web app's console logs (AppServiceConsoleLogs).
resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = if (networked) {
  name: '${namePrefix}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        vnetAddressPrefix
      ]
    }
    subnets: [
      {
        // The web app's outbound traffic (regional VNet integration); storage admits this subnet in vnet mode.
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'web'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
          serviceEndpoints: [
            {
              service: 'Microsoft.Storage'
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointSubnetPrefix
        }
      }
    ]
  }
}

var appSubnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', '${namePrefix}-vnet', 'app')
var privateEndpointSubnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', '${namePrefix}-vnet', 'private-endpoints')

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
    publicNetworkAccess: storageNetworkAccess == 'private' ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: networked ? 'Deny' : 'Allow'
      // Diagnostics and metrics still reach the account; no other Azure service is trusted by default.
      bypass: 'Logging, Metrics'
      virtualNetworkRules: storageNetworkAccess == 'vnet'
        ? [
            {
              id: appSubnetId
              action: 'Allow'
            }
          ]
        : []
      ipRules: [for range in (storageNetworkAccess == 'vnet' ? storageAllowedIpRanges : []): {
        value: range
        action: 'Allow'
      }]
    }
  }
  dependsOn: [
    vnet
  ]
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

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    cors: {
      corsRules: []
    }
  }
}

resource privateDnsZones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for service in storageServices: if (storageNetworkAccess == 'private') {
  name: 'privatelink.${service}.${environment().suffixes.storage}'
  location: 'global'
  tags: tags
}]

resource privateDnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for (service, i) in storageServices: if (storageNetworkAccess == 'private') {
  parent: privateDnsZones[i]
  name: '${namePrefix}-vnet-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-01-01' = [for (service, i) in storageServices: if (storageNetworkAccess == 'private') {
  name: '${namePrefix}-pe-${service}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: '${namePrefix}-pe-${service}'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: [
            service
          ]
        }
      }
    ]
  }
  dependsOn: [
    vnet
  ]
}]

resource privateDnsZoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01' = [for (service, i) in storageServices: if (storageNetworkAccess == 'private') {
  parent: privateEndpoints[i]
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: service
        properties: {
          privateDnsZoneId: privateDnsZones[i].id
        }
      }
    ]
  }
}]

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageQueueDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)
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
    capacity: instanceCount
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
    // In vnet and private mode all outbound traffic goes through the app subnet, so storage sees it there.
    virtualNetworkSubnetId: networked ? appSubnetId : null
    vnetRouteAllEnabled: networked
    siteConfig: {
      // Node 20 left support in April 2026; package.json's engines allow 20 (developers) and 22 (here).
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: startCommand
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      // /readyz answers 200 only when storage answers: an instance that lost its storage is taken out.
      healthCheckPath: '/readyz'
      appSettings: [
        {
          name: 'STORAGE_ACCOUNT_URL'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'TABLE_PREFIX'
          value: tablePrefix
        }
        {
          // The outbox and other work shared by all instances (Azure Queue Storage), same identity, no keys.
          name: 'STORAGE_QUEUE_URL'
          value: storage.properties.primaryEndpoints.queue
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
          name: 'MEMBER_CACHE_SECONDS'
          value: string(memberCacheSeconds)
        }
        {
          // Turns on OpenTelemetry in the bot (src/telemetry.ts): requests, dependencies, exceptions, error codes.
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          // The SDK's own usage statistics for Microsoft: not needed to operate the bot.
          name: 'APPLICATION_INSIGHTS_NO_STATSBEAT'
          value: 'true'
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
    // The bot must not start before it may read and write its tables and queues.
    tableDataContributor
    queueDataContributor
    vnet
  ]
}

// Console output (the bot's JSON log lines), HTTP access logs and platform events of the web app.
resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// Every read, write and delete on the tables and queues (StorageTableLogs, StorageQueueLogs): who, what, status.
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageRead'
        enabled: true
      }
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageRead'
        enabled: true
      }
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
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

@description('Queue endpoint the bot uses.')
output STORAGE_QUEUE_URL string = storage.properties.primaryEndpoints.queue

@description('Name of the storage account, for npm run export:tables and role assignments.')
output STORAGE_ACCOUNT_NAME string = storage.name

@description('Resource id of the web app (the M365 Agents Toolkit reads it as BOT_AZURE_APP_SERVICE_RESOURCE_ID).')
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id

@description('Name of the web app, for az webapp deploy (the same as webAppName, for the Agents Toolkit).')
output AZURE_WEB_APP_NAME string = webApp.name

@description('Name of the Application Insights resource: the portal\'s Failures and Logs pages.')
output APPLICATION_INSIGHTS_NAME string = appInsights.name

@description('Name of the Log Analytics workspace that holds the logs.')
output LOG_ANALYTICS_WORKSPACE_NAME string = workspace.name

@description('Name of the web app, for az webapp deploy.')
output webAppName string = webApp.name

@description('Name of the Azure Bot resource.')
output botName string = bot.name
