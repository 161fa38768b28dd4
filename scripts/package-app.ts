// Builds the Teams app package (appPackage/build/bo-wonen.zip): fills the bot id and domain into
// appPackage/manifest.json, validates it offline against the bundled schema, and zips it with its files.
// CLI: `npm run package` (add `--allow-placeholder` for a local sideloading trial without an app id).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';
import { loadPackageConfig } from '../src/config';

/** Used for both the Teams app id and the bot id when `allowPlaceholder` is set and no app id is known. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';

/** The token in manifest.json's validDomains that stands for the domain the bot runs on. */
export const BOT_DOMAIN_TOKEN = '${{BOT_DOMAIN}}';

const ROOT = resolve(__dirname, '..');

/**
 * Limits Teams enforces on bot command menus (documented for the app manifest, and checked by the
 * Developer Portal), which the JSON schema itself leaves wider.
 */
export const COMMAND_LIMITS = { titleLength: 32, descriptionLength: 128, commandsPerList: 10 } as const;

const ICON_SIZES = { color: 192, outline: 32 } as const;

export interface BuildAppPackageOptions {
  /** Where MICROSOFT_APP_ID and BOT_DOMAIN are read from. Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Use the nil GUID when MICROSOFT_APP_ID is empty, for local sideloading trials. */
  allowPlaceholder?: boolean;
  /** Folder with manifest.json, the icons and the language files. Defaults to appPackage/. */
  sourceDir?: string;
  /** The zip to write. Defaults to appPackage/build/bo-wonen.zip. */
  outFile?: string;
}

/** The parts of the manifest this script reads or fills in; the schema checks the rest. */
export interface AppManifestJson {
  $schema?: string;
  id: string;
  icons?: { color?: string; outline?: string };
  localizationInfo?: { additionalLanguages?: { languageTag: string; file: string }[] };
  bots?: { botId: string; commandLists?: { scopes: string[]; commands: { title: string; description?: string }[] }[] }[];
  validDomains?: string[];
  [key: string]: unknown;
}

/** A problem the person running the script can fix; the CLI prints only its message. */
export class PackageError extends Error {}

/** Builds the app package and returns where it was written and the manifest it contains. */
export async function buildAppPackage(
  options: BuildAppPackageOptions = {},
): Promise<{ path: string; manifest: AppManifestJson }> {
  const sourceDir = resolve(options.sourceDir ?? join(ROOT, 'appPackage'));
  const outFile = resolve(options.outFile ?? join(ROOT, 'appPackage', 'build', 'bo-wonen.zip'));
  const { appId: configuredAppId, botDomain } = loadPackageConfig(options.env ?? process.env);

  let appId = configuredAppId.toLowerCase();
  if (!appId) {
    if (!options.allowPlaceholder) {
      throw new PackageError(
        'MICROSOFT_APP_ID is not set: set it to the client id of the bot identity ' +
          '(see infra/README.md), or pass --allow-placeholder for a local sideloading trial.',
      );
    }
    appId = PLACEHOLDER_APP_ID;
  }

  const manifest = readJson(join(sourceDir, 'manifest.json')) as AppManifestJson;
  fillIn(manifest, appId, botDomain);

  const problems = [...validateManifest(manifest), ...checkCommandLimits(manifest)];
  if (problems.length > 0) {
    throw new PackageError(`manifest.json is not valid, so no package was written:\n  ${problems.join('\n  ')}`);
  }

  const files: ZipEntry[] = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }];
  for (const [kind, size] of Object.entries(ICON_SIZES) as [keyof typeof ICON_SIZES, number][]) {
    const file = manifest.icons?.[kind];
    if (!file) throw new PackageError(`manifest.json names no ${kind} icon.`);
    const data = readPackageFile(sourceDir, file);
    const actual = pngSize(data, file);
    if (actual.width !== size || actual.height !== size) {
      throw new PackageError(`${file} is ${actual.width}×${actual.height} pixels; Teams needs ${size}×${size}.`);
    }
    files.push({ name: file, data });
  }
  for (const language of manifest.localizationInfo?.additionalLanguages ?? []) {
    const data = readPackageFile(sourceDir, language.file);
    const localizationProblems = validateLocalization(parseJson(data.toString('utf8'), language.file), manifest);
    if (localizationProblems.length > 0) {
      throw new PackageError(
        `${language.file} is not valid, so no package was written:\n  ${localizationProblems.join('\n  ')}`,
      );
    }
    files.push({ name: language.file, data });
  }

  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, writeZip(files));
  return { path: outFile, manifest };
}

/** Puts the app id into `id` and `bots[0].botId`, and the bot's domain into validDomains. */
function fillIn(manifest: AppManifestJson, appId: string, botDomain: string): void {
  // One Entra app registration serves as both the Teams app id and the bot id: one value to manage.
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = appId;
  for (const extension of (manifest.composeExtensions as Array<{ botId?: string }> | undefined) ?? []) extension.botId = appId;

  if (botDomain && !/^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i.test(botDomain)) {
    throw new PackageError(
      `BOT_DOMAIN "${botDomain}" is not a host name: give only the name, such as bo-wonen.azurewebsites.net, ` +
        'without https:// or a path.',
    );
  }
  // Without a domain the token goes: a bot needs no valid domain unless it opens web content.
  manifest.validDomains = (manifest.validDomains ?? []).flatMap((domain) =>
    domain === BOT_DOMAIN_TOKEN ? (botDomain ? [botDomain.toLowerCase()] : []) : [domain],
  );
  const leftover = JSON.stringify(manifest).match(/\$\{\{[^}]*\}\}/);
  if (leftover) throw new PackageError(`manifest.json still contains the placeholder ${leftover[0]}; nothing fills it in.`);
}

/** The bundled copy of a developer.microsoft.com schema, or undefined when the package does not ship it. */
export function bundledSchemaPath(schemaUrl: string): string | undefined {
  const match = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/(teams\/[^?#]+\.json)$/i.exec(
    schemaUrl,
  );
  if (!match) return undefined;
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(packageDir, 'build', 'json-schemas', match[1]);
  return existsSync(file) ? file : undefined;
}

/** The bundled schema file a document's `$schema` names; refuses anything it would have to download. */
export function requireBundledSchema(schemaUrl: string | undefined): string {
  if (!schemaUrl) throw new PackageError('the manifest has no $schema, so it cannot be validated.');
  const file = bundledSchemaPath(schemaUrl);
  if (!file) {
    throw new PackageError(
      `the schema ${schemaUrl} is not bundled with @microsoft/app-manifest; use a schema version it ships.`,
    );
  }
  return file;
}

/** Validates a manifest offline against the bundled schema its `$schema` names; returns the errors. */
export function validateManifest(manifest: AppManifestJson): string[] {
  return validateAgainstSchema(manifest, requireBundledSchema(manifest.$schema));
}

// Runs in a child process; reads { library, schemaFile, document } on stdin, writes the error list as JSON.
const VALIDATOR = `
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (part) => (input += part));
process.stdin.on('end', async () => {
  const { library, schemaFile, document } = JSON.parse(input);
  const { AppManifestUtils } = require(library);
  const schema = JSON.parse(require('node:fs').readFileSync(schemaFile, 'utf8'));
  process.stdout.write(JSON.stringify(await AppManifestUtils.validateAgainstSchema(document, schema)));
});
`;

/**
 * AppManifestUtils.validateAgainstSchema with an explicit schema file (so it never fetches one), run in a
 * child Node process: the library requires strip-bom 5, an ES module, which Node 20.19+ can load from
 * CommonJS but Jest's module loader cannot, and the tests call this code from Jest.
 */
export function validateAgainstSchema(document: unknown, schemaFile: string): string[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, ['-e', VALIDATOR], {
      input: JSON.stringify({ library: require.resolve('@microsoft/app-manifest'), schemaFile, document }),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new PackageError(`the manifest validator (@microsoft/app-manifest) did not run: ${detail}`);
  }
  return JSON.parse(output) as string[];
}

/** Teams' own limits on the command menu, stricter than the schema. */
export function checkCommandLimits(manifest: AppManifestJson): string[] {
  const problems: string[] = [];
  (manifest.bots ?? []).forEach((bot, b) =>
    (bot.commandLists ?? []).forEach((list, l) => {
      const where = `/bots/${b}/commandLists/${l}`;
      if (list.commands.length > COMMAND_LIMITS.commandsPerList) {
        problems.push(`${where} has ${list.commands.length} commands; Teams shows at most ${COMMAND_LIMITS.commandsPerList}.`);
      }
      list.commands.forEach((command, c) => {
        if (command.title.length > COMMAND_LIMITS.titleLength) {
          problems.push(`${where}/commands/${c}/title is longer than ${COMMAND_LIMITS.titleLength} characters.`);
        }
        if ((command.description ?? '').length > COMMAND_LIMITS.descriptionLength) {
          problems.push(`${where}/commands/${c}/description is longer than ${COMMAND_LIMITS.descriptionLength} characters.`);
        }
      });
    }),
  );
  return problems;
}

/**
 * Validates a language file against the bundled localization schema. AppManifestUtils cannot: the
 * schema's patterns are not valid as Unicode regular expressions, and ajv compiles them that way. This
 * covers what that schema uses (required, properties, patternProperties, additionalProperties: false,
 * maxLength, pattern via $ref), and checks that each localized command exists in the manifest.
 */
export function validateLocalization(document: unknown, manifest: AppManifestJson): string[] {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return ['the language file must be a JSON object'];
  }
  const entries = Object.entries(document as Record<string, unknown>);
  const schemaUrl = (document as { $schema?: unknown }).$schema;
  const schema = readJson(requireBundledSchema(typeof schemaUrl === 'string' ? schemaUrl : undefined)) as LocalizationSchema;
  const patterns = Object.entries(schema.patternProperties ?? {}).map(
    ([source, rule]) => [new RegExp(source), rule] as const,
  );
  const problems: string[] = [];
  for (const key of schema.required ?? []) {
    if (!(key in (document as object))) problems.push(`"${key}" is required`);
  }
  for (const [key, value] of entries) {
    const rule = schema.properties?.[key] ?? patterns.find(([pattern]) => pattern.test(key))?.[1];
    if (!rule) {
      problems.push(`"${key}" is not a key Teams can localize`);
      continue;
    }
    if (key === '$schema') continue;
    problems.push(...checkStringRule(key, value, rule, schema));
    const command = /^bots\[(\d+)\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\./.exec(key);
    if (command && !manifest.bots?.[Number(command[1])]?.commandLists?.[Number(command[2])]?.commands[Number(command[3])]) {
      problems.push(`"${key}" refers to a command that manifest.json does not have`);
    }
  }
  return problems;
}

interface StringRule {
  type?: string;
  maxLength?: number;
  pattern?: string;
  $ref?: string;
}

interface LocalizationSchema {
  required?: string[];
  properties?: Record<string, StringRule>;
  patternProperties?: Record<string, StringRule>;
  definitions?: Record<string, StringRule>;
}

function checkStringRule(key: string, value: unknown, rule: StringRule, schema: LocalizationSchema): string[] {
  if (rule.type && rule.type !== 'string') return [`"${key}" is of a kind this check does not support (${rule.type})`];
  if (typeof value !== 'string') return [`"${key}" must be a string`];
  const problems: string[] = [];
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    problems.push(`"${key}" is longer than ${rule.maxLength} characters`);
  }
  const referenced = rule.$ref?.startsWith('#/definitions/') ? schema.definitions?.[rule.$ref.slice(14)] : undefined;
  for (const pattern of [rule.pattern, referenced?.pattern]) {
    if (pattern && !new RegExp(pattern).test(value)) problems.push(`"${key}" must match ${pattern}`);
  }
  return problems;
}

function readPackageFile(sourceDir: string, file: string): Buffer {
  const path = resolve(sourceDir, file);
  if (dirname(path) !== sourceDir) {
    throw new PackageError(`${file} must be a file name directly in ${sourceDir}, as Teams expects.`);
  }
  if (!existsSync(path)) throw new PackageError(`manifest.json names ${file}, but ${path} does not exist.`);
  return readFileSync(path);
}

function readJson(path: string): unknown {
  return parseJson(readFileSync(path, 'utf8'), path);
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PackageError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data: Buffer, name: string): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (data.length < 24 || data.subarray(0, 8).toString('hex') !== signature || data.toString('ascii', 12, 16) !== 'IHDR') {
    throw new PackageError(`${name} is not a PNG file.`);
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

interface ZipEntry {
  name: string;
  data: Buffer;
}

// A fixed timestamp (1 January 1980, the first MS-DOS date) makes the same input give the same zip.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Writes a zip archive (no zip64, no encryption): deflated entries, or stored when deflate does not help. */
export function writeZip(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const useDeflate = deflated.length < entry.data.length;
    const body = useDeflate ? deflated : entry.data;
    const checksum = crc32(entry.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // no extra field

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    directory.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directoryBytes, end]);
}

/** Variables from ./.env (if any) under the real environment, which wins. */
function environmentWithDotEnv(): Record<string, string | undefined> {
  const file = resolve(process.cwd(), '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--allow-placeholder');
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(', ')}; the only option is --allow-placeholder.`);
    process.exit(1);
  }
  buildAppPackage({ env: environmentWithDotEnv(), allowPlaceholder: args.includes('--allow-placeholder') }).then(
    ({ path, manifest }) => {
      const note = manifest.id === PLACEHOLDER_APP_ID ? ' with the placeholder app id (for local trials only)' : '';
      console.log(`Wrote ${path}${note}.`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
