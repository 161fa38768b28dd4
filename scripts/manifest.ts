// `npm run manifest`: writes the Teams command menu that the capabilities declare into appPackage/manifest.json
// (Dutch) and appPackage/en.json (English), so the menu never drifts from what the bot answers.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { manifestCommandLists } from '../src/capability';
import { CAPABILITIES, CORE_COMMANDS } from '../src/capabilities';

const root = path.resolve(__dirname, '..');
const manifestPath = path.join(root, 'appPackage/manifest.json');
const englishPath = path.join(root, 'appPackage/en.json');

const { manifest: lists, english } = manifestCommandLists(CAPABILITIES, CORE_COMMANDS);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bots: Array<{ commandLists?: unknown }> };
manifest.bots[0]!.commandLists = lists;
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');

const localised = JSON.parse(readFileSync(englishPath, 'utf8')) as Record<string, string>;
for (const key of Object.keys(localised)) if (key.startsWith('bots[0].commandLists')) delete localised[key];
writeFileSync(englishPath, JSON.stringify({ ...localised, ...english }, null, 2) + '\n');
console.log(`Wrote ${lists.reduce((n, l) => n + l.commands.length, 0)} menu commands to appPackage/manifest.json and en.json.`);
