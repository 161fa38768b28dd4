// The Azure infrastructure, checked offline: no Bicep compiler installs here, so every .bicep file is parsed with
// the tree-sitter Bicep grammar (syntax), and the facts that matter for security and operation are read from
// the parse tree. The Toolkit project file and the READMEs are held to the same files.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Parser from 'tree-sitter';
import Bicep from 'tree-sitter-bicep';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config';
import { ERROR_CODE_ATTRIBUTE } from '../../src/telemetry';

const ROOT = path.resolve(__dirname, '../..');
const INFRA = path.join(ROOT, 'infra');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

type Node = Parser.SyntaxNode;

function parseBicep(source: string): Parser.Tree {
  const parser = new Parser();
  parser.setLanguage(Bicep as unknown as Parser.Language);
  // The callback form reads any length (the string form stops at 32 KB).
  return parser.parse((index: number) => source.slice(index, index + 4096));
}

function syntaxErrors(tree: Parser.Tree, source: string): string[] {
  const found: string[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      found.push(`line ${node.startPosition.row + 1}: ${source.slice(node.startIndex, node.startIndex + 60)}`);
    }
    node.children.forEach(walk);
  };
  walk(tree.rootNode);
  return found;
}

/** Text of a string literal node without its quotes. */
const unquote = (text: string) => text.replace(/^'|'$/g, '');

interface Declared {
  name: string;
  node: Node;
  decorators: string[];
}

interface Resource extends Declared {
  type: string;
  apiVersion: string;
}

/** The top-level declarations of a template, each with the decorators written above it. */
function declarations(tree: Parser.Tree) {
  const resources: Resource[] = [];
  const params: Array<Declared & { type: string; default?: string }> = [];
  const variables = new Map<string, string>();
  const outputs: string[] = [];
  let decorators: string[] = [];
  for (const node of tree.rootNode.namedChildren) {
    if (node.type === 'decorators') {
      decorators = node.namedChildren.map((d) => d.text);
      continue;
    }
    const name = node.namedChildren[0]?.text ?? '';
    if (node.type === 'resource_declaration') {
      const [type, apiVersion] = unquote(node.namedChildren[1]!.text).split('@') as [string, string];
      resources.push({ name, node, decorators, type, apiVersion });
    } else if (node.type === 'parameter_declaration') {
      const value = node.namedChildren[2]?.text;
      params.push({ name, node, decorators, type: node.namedChildren[1]!.text, ...(value !== undefined ? { default: value } : {}) });
    } else if (node.type === 'variable_declaration') {
      variables.set(name, node.namedChildren[1]!.text);
    } else if (node.type === 'output_declaration') {
      outputs.push(name);
    }
    decorators = [];
  }
  return { resources, params, variables, outputs };
}

/** Every `key: value` below a node, as source text of the value. */
function propertyValues(node: Node, key: string): string[] {
  const values: string[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'object_property' && n.namedChildren[0]?.text === key) values.push(n.namedChildren[1]!.text);
    n.namedChildren.forEach(walk);
  };
  walk(node);
  return values;
}

/** The app settings of a web app: name → value expression. */
function appSettings(webApp: Node): Map<string, string> {
  const settings = new Map<string, string>();
  const walk = (n: Node): void => {
    if (n.type === 'object') {
      const name = propertyValues(n, 'name')[0];
      const value = propertyValues(n, 'value')[0];
      if (name && value && n.namedChildren.filter((c) => c.type === 'object_property').length === 2) settings.set(unquote(name), value);
    }
    n.namedChildren.forEach(walk);
  };
  const list = webApp.descendantsOfType('object_property').find((p) => p.namedChildren[0]?.text === 'appSettings');
  if (list) walk(list);
  return settings;
}

const bicepFiles = readdirSync(INFRA).filter((file) => file.endsWith('.bicep'));
const mainSource = read('infra/main.bicep');
const main = declarations(parseBicep(mainSource));
const resource = (symbol: string): Resource => {
  const found = main.resources.find((r) => r.name === symbol);
  if (!found) throw new Error(`main.bicep declares no resource ${symbol}`);
  return found;
};
const only = (values: string[]): string => {
  expect(values).toHaveLength(1);
  return values[0]!;
};

describe('Bicep syntax (tree-sitter)', () => {
  it.each(bicepFiles)('%s parses without a syntax error', (file) => {
    const source = read(path.join('infra', file));
    expect(syntaxErrors(parseBicep(source), source)).toEqual([]);
  });

  it('would notice a broken template', () => {
    const broken = `${mainSource}\nresource broken 'Microsoft.Web/sites@2023-12-01' = {\n  name: 'x'\n`;
    expect(syntaxErrors(parseBicep(broken), broken).length).toBeGreaterThan(0);
  });
});

describe('main.bicep', () => {
  it('declares exactly the resources the README lists, on these API versions', () => {
    const byType = main.resources.map((r) => `${r.type}@${r.apiVersion}`).sort();
    expect([...new Set(byType)]).toEqual(
      [
        'Microsoft.Authorization/roleAssignments@2022-04-01',
        'Microsoft.BotService/botServices/channels@2022-09-15',
        'Microsoft.BotService/botServices@2022-09-15',
        'Microsoft.Insights/components@2020-02-02',
        'Microsoft.Insights/diagnosticSettings@2021-05-01-preview',
        'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31',
        'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01',
        'Microsoft.Network/privateDnsZones@2020-06-01',
        'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-01-01',
        'Microsoft.Network/privateEndpoints@2024-01-01',
        'Microsoft.Network/virtualNetworks@2024-01-01',
        'Microsoft.OperationalInsights/workspaces@2023-09-01',
        'Microsoft.Storage/storageAccounts/queueServices@2023-05-01',
        'Microsoft.Storage/storageAccounts/tableServices@2023-05-01',
        'Microsoft.Storage/storageAccounts@2023-05-01',
        'Microsoft.Web/serverfarms@2023-12-01',
        'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01',
        'Microsoft.Web/sites@2023-12-01',
      ].sort(),
    );
    const infraReadme = read('infra/README.md');
    for (const type of new Set(main.resources.map((r) => r.type))) expect(infraReadme).toContain(type);
  });

  it('gives the identity exactly the Table and Queue data roles, on the storage account only', () => {
    expect(main.variables.get('storageTableDataContributorRoleId')).toBe("'0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(main.variables.get('storageQueueDataContributorRoleId')).toBe("'974c5e8b-45b9-4653-ba55-5f855dd0fb88'");
    const assignments = main.resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(assignments.map((a) => only(propertyValues(a.node, 'roleDefinitionId'))).sort()).toEqual([
      "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributorRoleId)",
      "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)",
    ]);
    for (const assignment of assignments) {
      expect(only(propertyValues(assignment.node, 'scope'))).toBe('storage');
      expect(only(propertyValues(assignment.node, 'principalId'))).toBe('identity.properties.principalId');
    }
  });

  it('lets only Entra ID into storage, over TLS 1.2+, and restricts the network by a parameter', () => {
    const storage = resource('storage').node;
    expect(only(propertyValues(storage, 'allowSharedKeyAccess'))).toBe('false');
    expect(only(propertyValues(storage, 'minimumTlsVersion'))).toBe("'TLS1_2'");
    expect(only(propertyValues(storage, 'supportsHttpsTrafficOnly'))).toBe('true');
    expect(only(propertyValues(storage, 'allowBlobPublicAccess'))).toBe('false');
    expect(only(propertyValues(storage, 'publicNetworkAccess'))).toBe("storageNetworkAccess == 'private' ? 'Disabled' : 'Enabled'");
    expect(only(propertyValues(storage, 'defaultAction'))).toBe("networked ? 'Deny' : 'Allow'");
    expect(main.variables.get('networked')).toBe("storageNetworkAccess != 'public'");
    const access = main.params.find((p) => p.name === 'storageNetworkAccess')!;
    expect(access.default).toBe("'vnet'");
    expect(access.decorators.join('\n')).toMatch(/@allowed\(\[\s*'vnet'\s*'private'\s*'public'\s*\]\)/);
  });

  it('runs the web app on Node 22 LTS over HTTPS only, with the health check on /readyz', () => {
    const webApp = resource('webApp').node;
    expect(only(propertyValues(webApp, 'linuxFxVersion'))).toBe("'NODE|22-lts'");
    expect(only(propertyValues(webApp, 'httpsOnly'))).toBe('true');
    expect(only(propertyValues(webApp, 'minTlsVersion'))).toBe("'1.2'");
    expect(only(propertyValues(webApp, 'ftpsState'))).toBe("'Disabled'");
    expect(only(propertyValues(webApp, 'healthCheckPath'))).toBe("'/readyz'");
    for (const policy of main.resources.filter((r) => r.type === 'Microsoft.Web/sites/basicPublishingCredentialsPolicies')) {
      expect(only(propertyValues(policy.node, 'allow'))).toBe('false');
    }
  });

  it('runs on a Node version that package.json allows, as the developers\' Node 20 is', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const [, low, high] = /^>=(\d+) <(\d+)$/.exec(engines) ?? [];
    expect(low && high).toBeTruthy();
    const allows = (major: number) => major >= Number(low) && major < Number(high);
    const azureMajor = Number(/NODE\|(\d+)-lts/.exec(only(propertyValues(resource('webApp').node, 'linuxFxVersion')))![1]);
    expect(allows(azureMajor)).toBe(true);
    expect(allows(20)).toBe(true);
    expect(allows(Number(process.versions.node.split('.')[0]))).toBe(true);
  });

  it('scales out by a parameter', () => {
    const count = main.params.find((p) => p.name === 'instanceCount')!;
    expect(count.type).toBe('int');
    expect(count.default).toBe('1');
    expect(count.decorators).toContain('@minValue(1)');
    expect(only(propertyValues(resource('plan').node, 'capacity'))).toBe('instanceCount');
  });

  it('hands the app the settings the code reads, with the bot type the code defaults to', () => {
    const settings = appSettings(resource('webApp').node);
    expect(settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe('appInsights.properties.ConnectionString');
    expect(settings.get('STORAGE_QUEUE_URL')).toBe('storage.properties.primaryEndpoints.queue');
    expect(settings.get('STORAGE_ACCOUNT_URL')).toBe('storage.properties.primaryEndpoints.table');
    expect(settings.has('STORAGE_CONNECTION_STRING')).toBe(false);
    expect(settings.get('MEMBER_CACHE_SECONDS')).toBe('string(memberCacheSeconds)');

    // The Bicep's bot type is the code's default, and the bot resource says the same.
    const appType = unquote(settings.get('MICROSOFT_APP_TYPE')!);
    const defaults = loadConfig({
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111',
      MICROSOFT_APP_ID: '0c0ffee0-0000-4000-8000-000000000001',
      MICROSOFT_APP_TENANT_ID: '22222222-2222-4222-8222-222222222222',
    });
    expect(defaults.bot.appType).toBe(appType);
    expect(only(propertyValues(resource('bot').node, 'msaAppType'))).toBe(`'${appType}'`);

    // Every setting is documented: in .env.example (read by src/config.ts), or read by an SDK or the platform.
    const readElsewhere = ['AZURE_CLIENT_ID', 'APPLICATION_INSIGHTS_NO_STATSBEAT', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'STORAGE_QUEUE_URL'];
    const envExample = read('.env.example');
    const infraReadme = read('infra/README.md');
    for (const name of settings.keys()) {
      if (!readElsewhere.includes(name)) expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(infraReadme).toContain(`\`${name}\``);
    }
  });

  it('sends the web app\'s and the storage\'s logs to the workspace', () => {
    const diagnostics = main.resources.filter((r) => r.type === 'Microsoft.Insights/diagnosticSettings');
    expect(diagnostics.map((d) => only(propertyValues(d.node, 'scope'))).sort()).toEqual(['queueService', 'tableService', 'webApp']);
    for (const d of diagnostics) expect(only(propertyValues(d.node, 'workspaceId'))).toBe('workspace.id');
    const webLogs = propertyValues(diagnostics.find((d) => propertyValues(d.node, 'scope')[0] === 'webApp')!.node, 'category');
    expect(webLogs).toContain("'AppServiceConsoleLogs'");
    expect(only(propertyValues(resource('appInsights').node, 'WorkspaceResourceId'))).toBe('workspace.id');
  });

  it('has a parameters file that names only declared parameters and every required one', () => {
    const file = JSON.parse(read('infra/main.parameters.json')) as { parameters: Record<string, unknown> };
    const declared = main.params.map((p) => p.name);
    for (const name of Object.keys(file.parameters)) expect(declared).toContain(name);
    for (const p of main.params.filter((p) => p.default === undefined)) expect(Object.keys(file.parameters)).toContain(p.name);
  });

  it('documents every parameter and output in infra/README.md', () => {
    const infraReadme = read('infra/README.md');
    for (const p of main.params) expect(infraReadme).toContain(`| \`${p.name}\``);
    for (const output of main.outputs) expect(infraReadme).toContain(`\`${output}\``);
  });
});

describe('settings for Azure (src/config.ts)', () => {
  const base = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', ALLOWED_TENANT_IDS: '11111111-1111-4111-8111-111111111111' };

  it('keeps the local mode without an app id working although the default type is the managed identity', () => {
    expect(loadConfig(base).bot).toMatchObject({ appId: '', appType: 'MultiTenant' });
  });

  it('takes the Application Insights connection string, and refuses something else in its place', () => {
    expect(loadConfig(base).telemetry.connectionString).toBe('');
    const connectionString = 'InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
    expect(loadConfig({ ...base, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }).telemetry.connectionString).toBe(connectionString);
    expect(() => loadConfig({ ...base, APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.invalid/' })).toThrow(
      /APPLICATIONINSIGHTS_CONNECTION_STRING must be the connection string of an Application Insights resource/,
    );
  });
});

describe('operations documentation', () => {
  it('gives the Kusto query for an apology code with the attribute the bot sets', () => {
    const infraReadme = read('infra/README.md');
    expect(infraReadme).toContain(`Properties["${ERROR_CODE_ATTRIBUTE}"]`);
    expect(read('README.md')).toContain(`Properties["${ERROR_CODE_ATTRIBUTE}"]`);
  });

  it('names only npm scripts and files that exist', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    for (const doc of ['README.md', 'infra/README.md']) {
      const text = read(doc);
      for (const [, name] of text.matchAll(/npm run ([a-z:]+)/g)) expect(scripts).toContain(name);
      for (const [, file] of text.matchAll(/`((?:infra|scripts|env|appPackage)\/[\w./-]+\.(?:bicep|json|sh|ts|dev|yml))`/g)) {
        expect(existsSync(path.join(ROOT, file!))).toBe(true);
      }
    }
  });
});

describe('m365agents.yml', () => {
  const project = parseYaml(read('m365agents.yml')) as Record<string, Array<{ uses: string; with?: Record<string, unknown> }>>;
  const steps = (stage: string) => project[stage] ?? [];

  it('provisions with infra/main.bicep and its parameters file', () => {
    const arm = steps('provision').find((s) => s.uses === 'arm/deploy')!;
    const templates = arm.with!.templates as Array<{ path: string; parameters: string }>;
    expect(templates).toEqual([expect.objectContaining({ path: './infra/main.bicep', parameters: './infra/main.parameters.json' })]);
  });

  it('deploys the production bundle and publishes the package npm run package writes', () => {
    const runs = steps('deploy').map((s) => String(s.with?.run ?? ''));
    expect(runs[0]).toBe('bash scripts/bundle.sh .deploy/app');
    expect(runs[1]).toContain('--src-path .deploy/app.zip --type zip');
    const packages = [...steps('provision'), ...steps('publish')].map((s) => s.with?.appPackagePath).filter(Boolean);
    expect(new Set(packages)).toEqual(new Set(['./appPackage/build/bo-wonen.zip']));
    expect(read('scripts/package-app.ts')).toContain("join(ROOT, 'appPackage', 'build', 'bo-wonen.zip')");
  });

  it('uses only variables that env/.env.dev lists, each filled in by hand or written by a step', () => {
    const envFile = read('env/.env.dev');
    const listed = [...envFile.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    const used = [...read('m365agents.yml').matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]);
    for (const name of used) expect(listed).toContain(name);
    // What provision writes are the template's outputs; the env file lists them under that heading.
    for (const output of main.outputs.filter((o) => /^[A-Z_]+$/.test(o))) expect(listed).toContain(output);
  });
});
