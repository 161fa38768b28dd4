// The Teams app package: the committed manifest and icons are what Teams accepts, and `npm run package`
// turns them into a zip with the real bot id. Everything is read back byte by byte; no mocks, no network.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import {
  buildAppPackage,
  bundledSchemaPath,
  COMMAND_LIMITS,
  PLACEHOLDER_APP_ID,
  validateLocalization,
  type AppManifestJson,
  validateAgainstSchema,
} from '../../scripts/package-app';

const ROOT = join(__dirname, '..', '..');
const APP_PACKAGE = join(ROOT, 'appPackage');
const BOT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';

function readManifest(): AppManifestJson {
  return JSON.parse(readFileSync(join(APP_PACKAGE, 'manifest.json'), 'utf8')) as AppManifestJson;
}

/** The bundled schema file a `$schema` URL names; the test fails if the package does not ship it. */
function bundledSchema(schemaUrl: string): string {
  const file = bundledSchemaPath(schemaUrl);
  if (!file) throw new Error(`${schemaUrl} is not bundled with @microsoft/app-manifest`);
  return file;
}

// ---- A small PNG reader: chunks with CRC check, IHDR, and IDAT unfiltered to RGBA pixels. ----

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  pixels: Buffer; // RGBA, 4 bytes a pixel (only colour type 6, bit depth 8 is decoded)
}

function readPng(file: string): Png {
  const data = readFileSync(file);
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  for (;;) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('ascii', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    expect(data.readUInt32BE(offset + 8 + length)).toBe(crc32(data.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (!header) throw new Error(`${file} has no IHDR chunk`);
  const png = {
    width: header.readUInt32BE(0),
    height: header.readUInt32BE(4),
    bitDepth: header[8],
    colorType: header[9],
    interlace: header[12],
  };
  if (png.bitDepth !== 8 || png.colorType !== 6 || png.interlace !== 0) {
    return { ...png, pixels: Buffer.alloc(0) };
  }
  return { ...png, pixels: unfilter(inflateSync(Buffer.concat(idat)), png.width, png.height, 4) };
}

/** Reverses PNG filter types 0–4 (None, Sub, Up, Average, Paeth), row by row. */
function unfilter(raw: Buffer, width: number, height: number, bytesPerPixel: number): Buffer {
  const stride = width * bytesPerPixel;
  expect(raw.length).toBe((stride + 1) * height);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= bytesPerPixel ? out[y * stride + x - bytesPerPixel] : 0;
      const up = y > 0 ? out[(y - 1) * stride + x] : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[(y - 1) * stride + x - bytesPerPixel] : 0;
      let predicted: number;
      switch (filter) {
        case 0:
          predicted = 0;
          break;
        case 1:
          predicted = left;
          break;
        case 2:
          predicted = up;
          break;
        case 3:
          predicted = Math.floor((left + up) / 2);
          break;
        case 4: {
          const estimate = left + up - upLeft;
          const toLeft = Math.abs(estimate - left);
          const toUp = Math.abs(estimate - up);
          const toUpLeft = Math.abs(estimate - upLeft);
          predicted = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
          break;
        }
        default:
          throw new Error(`unknown PNG filter type ${filter} on row ${y}`);
      }
      out[y * stride + x] = (line[x] + predicted) & 0xff;
    }
  }
  return out;
}

function pixelAt(png: Png, x: number, y: number): { r: number; g: number; b: number; a: number } {
  const o = (y * png.width + x) * 4;
  return { r: png.pixels[o], g: png.pixels[o + 1], b: png.pixels[o + 2], a: png.pixels[o + 3] };
}

// ---- A small zip reader: end record → central directory → local headers → data (CRC checked). ----

function readZip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error(`${file} has no zip end record`);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const checksum = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);

    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    expect(zip.toString('utf8', localOffset + 30, localOffset + 30 + zip.readUInt16LE(localOffset + 26))).toBe(name);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const stored = zip.subarray(dataStart, dataStart + compressedSize);
    expect([0, 8]).toContain(method);
    const content = method === 8 ? inflateRawSync(stored) : Buffer.from(stored);
    expect(content.length).toBe(size);
    expect(crc32(content)).toBe(checksum);
    files.set(name, content);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stderr: string }> {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [tsx, join(ROOT, 'scripts', 'package-app.ts'), ...args], { env, cwd }, (error, _stdout, stderr) => {
      resolvePromise({ code: error ? Number(error.code ?? 1) : 0, stderr });
    });
  });
}

describe('the committed app manifest', () => {
  const manifest = readManifest();

  it('validates offline against the bundled schema it names in $schema', async () => {
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.\d+\//);
    expect(validateAgainstSchema(manifest, bundledSchema(String(manifest.$schema)))).toEqual([]);
  });

  it('uses the schema version its manifestVersion says', () => {
    expect(manifest.$schema).toContain(`/v${String(manifest.manifestVersion)}/`);
  });

  it('is called BO Wonen, in Dutch by default', () => {
    expect(manifest.name).toEqual({ short: 'BO Wonen', full: 'BO Wonen Gooi en Vechtstreek' });
    expect(manifest.localizationInfo).toMatchObject({ defaultLanguageTag: 'nl-nl' });
    expect((manifest.description as { full: string }).full).toMatch(/dilemma's.*woningbouwplannen.*sessies.*agenda/s);
  });

  it('offers the bot in personal chat, teams and group chats, taking files (the secretariaat\'s plan list)', () => {
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots?.[0]).toMatchObject({
      scopes: expect.arrayContaining(['personal', 'team', 'groupChat']),
      supportsFiles: true,
      isNotificationOnly: false,
    });
  });

  it('keeps each command menu within what Teams shows', () => {
    const lists = manifest.bots?.[0].commandLists ?? [];
    const scopes = lists.flatMap((list) => list.scopes);
    expect(scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    for (const list of lists) {
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(COMMAND_LIMITS.commandsPerList);
      expect(new Set(list.commands.map((command) => command.title)).size).toBe(list.commands.length);
      for (const command of list.commands) {
        expect(command.title.length).toBeLessThanOrEqual(COMMAND_LIMITS.titleLength);
        expect(command.description?.length ?? 0).toBeGreaterThan(0);
        expect(command.description?.length ?? 0).toBeLessThanOrEqual(COMMAND_LIMITS.descriptionLength);
      }
    }
  });

  it('lists the everyday commands in personal chat, and help in every scope', () => {
    const lists = manifest.bots?.[0].commandLists ?? [];
    const personal = lists.find((list) => list.scopes.includes('personal'))?.commands.map((command) => command.title);
    // Only commands the bot answers today; later features add theirs (tests/e2e/manifest-commands checks it).
    expect(personal).toEqual(expect.arrayContaining(['help', 'dilemma', "dilemma's"]));
    for (const list of lists) expect(list.commands[0].title).toBe('help');
  });

  it('has an English language file that Teams accepts and that matches the commands', () => {
    const languages = (manifest.localizationInfo as { additionalLanguages?: { languageTag: string; file: string }[] })
      .additionalLanguages;
    expect(languages).toEqual([{ languageTag: 'en', file: 'en.json' }]);
    const english = JSON.parse(readFileSync(join(APP_PACKAGE, 'en.json'), 'utf8')) as Record<string, string>;
    expect(validateLocalization(english, manifest)).toEqual([]);
    expect(english['description.short']).toMatch(/affordable homes/);
    // Every command description is translated, so an English menu shows no Dutch explanations.
    (manifest.bots?.[0].commandLists ?? []).forEach((list, l) =>
      list.commands.forEach((_command, c) => {
        expect(english[`bots[0].commandLists[${l}].commands[${c}].description`]).toBeDefined();
      }),
    );
  });

  it('rejects a language file with a key Teams cannot localize or a command that does not exist', () => {
    const english = JSON.parse(readFileSync(join(APP_PACKAGE, 'en.json'), 'utf8')) as Record<string, string>;
    const broken = { ...english, 'developer.name': 'X', 'bots[0].commandLists[0].commands[11].title': 'ghost' };
    delete (broken as Record<string, string>)['description.full'];
    expect(validateLocalization(broken, manifest)).toEqual([
      '"description.full" is required',
      '"developer.name" is not a key Teams can localize',
      '"bots[0].commandLists[0].commands[11].title" refers to a command that manifest.json does not have',
    ]);
  });
});

describe('the app icons', () => {
  it('are PNGs of exactly 192×192 (colour) and 32×32 (outline) pixels', () => {
    const color = readPng(join(APP_PACKAGE, 'color.png'));
    const outline = readPng(join(APP_PACKAGE, 'outline.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
  });

  it('draws the outline icon only in white on a fully transparent background', () => {
    const outline = readPng(join(APP_PACKAGE, 'outline.png'));
    expect(outline.colorType).toBe(6); // RGBA: an outline icon needs an alpha channel
    let opaque = 0;
    const notWhite: string[] = [];
    for (let y = 0; y < outline.height; y += 1) {
      for (let x = 0; x < outline.width; x += 1) {
        const { r, g, b, a } = pixelAt(outline, x, y);
        if (a > 0 && (r !== 255 || g !== 255 || b !== 255)) notWhite.push(`(${x},${y}) is rgba(${r},${g},${b},${a})`);
        if (a === 255) opaque += 1;
      }
    }
    expect(notWhite).toEqual([]);
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31], [16, 0]]) expect(pixelAt(outline, x, y).a).toBe(0);
    // A real shape: not empty, and not a filled square either.
    expect(opaque).toBeGreaterThan(32 * 32 * 0.15);
    expect(opaque).toBeLessThan(32 * 32 * 0.6);
  });

  it('draws the colour icon as a white shape on an opaque coloured background', () => {
    const color = readPng(join(APP_PACKAGE, 'color.png'));
    expect(color.colorType).toBe(6);
    const corner = pixelAt(color, 0, 0);
    expect(corner.a).toBe(255);
    expect(corner.r + corner.g + corner.b).toBeLessThan(3 * 160); // dark enough for a white shape to stand out
    let white = 0;
    let seeThrough = 0;
    for (let i = 0; i < color.width * color.height; i += 1) {
      if (color.pixels[i * 4 + 3] !== 255) seeThrough += 1;
      if (color.pixels[i * 4] === 255 && color.pixels[i * 4 + 1] === 255 && color.pixels[i * 4 + 2] === 255) white += 1;
    }
    expect(seeThrough).toBe(0);
    expect(white).toBeGreaterThan(192 * 192 * 0.15);
  });
});

describe('npm run package', () => {
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), 'bo-wonen-package-'));
  });

  afterEach(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('writes a zip with the manifest (bot id filled in), both icons and the English strings', async () => {
    const outFile = join(workDir, 'bo-wonen.zip');
    const result = await buildAppPackage({
      env: { MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: 'bo-wonen-prod.azurewebsites.net' },
      outFile,
    });
    expect(result.path).toBe(outFile);

    const files = readZip(outFile);
    expect([...files.keys()].sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(files.get('manifest.json')!.toString('utf8')) as AppManifestJson;
    expect(packed.id).toBe(BOT_ID);
    expect(packed.bots?.[0].botId).toBe(BOT_ID);
    expect(packed.validDomains).toEqual(['bo-wonen-prod.azurewebsites.net']);
    expect(JSON.stringify(packed)).not.toContain(PLACEHOLDER_APP_ID);
    expect(JSON.stringify(packed)).not.toContain('${{');
    expect(result.manifest).toEqual(packed);
    expect(validateAgainstSchema(packed, bundledSchema(packed.$schema!))).toEqual([]);

    expect(files.get('color.png')!.equals(readFileSync(join(APP_PACKAGE, 'color.png')))).toBe(true);
    expect(files.get('outline.png')!.equals(readFileSync(join(APP_PACKAGE, 'outline.png')))).toBe(true);
    expect(files.get('en.json')!.equals(readFileSync(join(APP_PACKAGE, 'en.json')))).toBe(true);
  });

  it('leaves validDomains empty when no bot domain is given', async () => {
    const { manifest } = await buildAppPackage({ env: { MICROSOFT_APP_ID: BOT_ID }, outFile: join(workDir, 'a.zip') });
    expect(manifest.validDomains).toEqual([]);
  });

  it('refuses to build without an app id, and writes nothing', async () => {
    const outFile = join(workDir, 'bo-wonen.zip');
    await expect(buildAppPackage({ env: {}, outFile })).rejects.toThrow(/^MICROSOFT_APP_ID is not set: /);
    expect(existsSync(outFile)).toBe(false);
  });

  it('uses the nil GUID without an app id only when a placeholder is allowed', async () => {
    const outFile = join(workDir, 'bo-wonen.zip');
    const { manifest } = await buildAppPackage({ env: {}, allowPlaceholder: true, outFile });
    expect(manifest.bots?.[0].botId).toBe('00000000-0000-0000-0000-000000000000');
    expect(readZip(outFile).has('manifest.json')).toBe(true);
  });

  it('refuses a manifest that breaks the schema, and says where', async () => {
    const source = join(workDir, 'appPackage');
    mkdirSync(source);
    for (const file of ['color.png', 'outline.png', 'en.json']) copyFileSync(join(APP_PACKAGE, file), join(source, file));
    const broken = readManifest();
    (broken.name as { short: string }).short = 'BO Wonen, het bestuurlijk overleg over wonen';
    writeFileSync(join(source, 'manifest.json'), JSON.stringify(broken));
    const outFile = join(workDir, 'bo-wonen.zip');

    await expect(buildAppPackage({ env: { MICROSOFT_APP_ID: BOT_ID }, sourceDir: source, outFile })).rejects.toThrow(
      /manifest\.json is not valid[\s\S]*\/name\/short must NOT have more than 30 characters/,
    );
    expect(existsSync(outFile)).toBe(false);
  });

  it('exits with code 1 and one clear sentence when run without an app id', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MICROSOFT_APP_ID: '' };
    // cwd is an empty folder, so a developer's own .env cannot supply an app id here.
    const { code, stderr } = await runCli([], env, workDir);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^MICROSOFT_APP_ID is not set: [^\n]+\.$/);
  }, 30_000);
});
