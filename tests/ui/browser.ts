// Chromium (Debian's package) driven by playwright-core against the Agents Playground and the bot on Azurite,
// everything on loopback. Each person has a Playground of their own (the Playground only types as its current
// user), all in front of the same bot, so a notice to someone else shows up in their own browser page.
import os from 'node:os';
import path from 'node:path';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { configAs, readPlaygroundFile, startPlayground, type PlaygroundHandle } from '../../scripts/playground';
import { freePort } from '../../src/storage/azurite';
import { seedDemoData, startPlaygroundSession, type PlaygroundSession } from '../helpers/playground';

/** Where Debian's `chromium` package puts the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium without anything that reaches out on its own: no background networking, component or field-trial
 * updates, sync, crash or metrics reports, domain reliability beacons, safe-browsing lists, or first-run pages.
 */
export const QUIET_CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-client-side-phishing-detection',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-field-trial-config',
  '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,CalculateNativeWinOcclusion',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-pings',
  '--no-service-autorun',
  '--password-store=basic',
  '--use-mock-keychain',
  '--safebrowsing-disable-auto-update',
];

/** Only loopback: the Playground's page asks a CDN for fonts and an animation script, which we refuse. */
const LOOPBACK = /^(https?|wss?):\/\/(localhost|127\.0\.0\.1)(:\d+)?\//;

/** Where `npm run screenshots` writes (unset: the tests take no pictures). */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

export interface Person {
  /** First name in lower case, as configAs takes it: "marieke", "pieter". */
  who: string;
  page: Page;
  playground: PlaygroundHandle;
}

export interface UiRun {
  session: PlaygroundSession;
  browser: Browser;
  people: Map<string, Person>;
  /** Every request the pages tried that was not to loopback (refused). */
  outside: string[];
  stop(): Promise<void>;
}

/** True when the browser can run here; the UI tests say why not when it cannot. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (install Debian's chromium package, or set CHROMIUM_PATH)`;
}

/**
 * Starts the bot with every capability's demo data, one Playground per named person (the first is the
 * Playground file's own current user), Chromium, and a page per person showing their personal chat.
 */
export async function startUi(who: string[], env: Record<string, string> = {}): Promise<UiRun> {
  const file = readPlaygroundFile();
  const first = who[0]!;
  const session = await startPlaygroundSession({
    env: { SCHEDULER: 'off', TZ: 'Europe/Amsterdam', ...env },
    seed: seedDemoData,
  });
  if (String(file.currentUser.givenName).toLowerCase() !== first) throw new Error(`startUi: ${first} must be the Playground file's current user`);
  const outside: string[] = [];
  const people = new Map<string, Person>();
  const extra: PlaygroundHandle[] = [];
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    for (const p of extra) await p.stop();
    await session.stop();
  };
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: QUIET_CHROMIUM_ARGS, headless: true });
    // The others' Playgrounds start side by side (each takes some seconds); then each person's page opens.
    const playgrounds = await Promise.all(
      who.map(async (name) => {
        if (name === first) return session.playground;
        const workDir = mkdtempSync(path.join(os.tmpdir(), `bo-wonen-ui-${name}-`));
        const playground = await startPlayground({
          botEndpoint: `http://127.0.0.1:${session.app.port}/api/messages`,
          port: await freePort(),
          workDir,
          configFile: configAs(name, workDir),
        });
        extra.push(playground);
        return playground;
      }),
    );
    const started: Person[] = [];
    for (const [i, name] of who.entries()) {
      const playground = playgrounds[i]!;
      const context = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(10_000);
      await context.route(
        (url) => !LOOPBACK.test(url.href) && url.protocol !== 'data:' && url.protocol !== 'blob:',
        (route) => {
          outside.push(route.request().url());
          return route.abort();
        },
      );
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${playground.port}/`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      // The Playground installs the bot in the personal chat on load; the bot greets.
      await seen(page.getByText('Typ "hulp" om te zien wat ik kan').first(), 60_000);
      started.push({ who: name, page, playground });
    }
    for (const person of started) people.set(person.who, person);
  } catch (err) {
    await stop();
    throw err;
  }
  return { session, browser, people, outside, stop };
}

/** Waits for `check` to hold, polling; throws `what` with the last reason when it does not in time. */
export async function until(check: () => Promise<true | string>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const result = await check().catch((err: Error) => err.message.split('\n')[0]!);
    if (result === true) return;
    last = result;
    if (Date.now() > deadline) throw new Error(`${what}: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Whether a person looking at the screen sees the element: it has a box in the viewport, and the point in the
 * middle of its visible part is not covered by something else (a scrolled-away chat, a dialog, the header).
 */
export async function onScreen(locator: Locator): Promise<true | string> {
  const count = await locator.count();
  if (count === 0) return 'not in the page';
  return locator.evaluate((el) => {
    // Runs in the page (the project's TypeScript has no DOM library).
    const win = globalThis as unknown as { innerHeight: number; innerWidth: number; document: { elementFromPoint(x: number, y: number): typeof el | null } };
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return 'has no size';
    const top = Math.max(r.top, 0);
    const bottom = Math.min(r.bottom, win.innerHeight);
    const left = Math.max(r.left, 0);
    const right = Math.min(r.right, win.innerWidth);
    if (bottom <= top || right <= left) return `outside the window (top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)})`;
    const hit = win.document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
    if (!hit || !(el === hit || el.contains(hit) || hit.contains(el))) return `covered by or scrolled under <${hit?.tagName.toLowerCase()}>`;
    return true as const;
  });
}

/** Waits until a person would see it on screen (not just in the page). */
export async function seen(locator: Locator, timeoutMs = 15_000): Promise<void> {
  try {
    await until(() => onScreen(locator), `not on screen: ${String(locator)}`, timeoutMs);
  } catch (err) {
    // What the screen showed instead, to look at when it fails.
    const file = path.join(os.tmpdir(), `bo-wonen-ui-failure-${Date.now()}.png`);
    await locator.page().screenshot({ path: file }).catch(() => undefined);
    throw new Error(`${(err as Error).message} (screen: ${file})`);
  }
}

/**
 * A card taller than the chat: the Playground (like Teams) shows its bottom first, so a person scrolls up to
 * read its top. Waits for it in the page, scrolls it into view, then checks it is on screen.
 */
export async function scrolledTo(locator: Locator, timeoutMs = 15_000): Promise<void> {
  // A card the bot updates in place (a report that fills in) may be swapped while scrolling: try again.
  await until(
    async () => {
      await locator.scrollIntoViewIfNeeded({ timeout: 2_000 });
      return onScreen(locator);
    },
    `not on screen after scrolling: ${String(locator)}`,
    timeoutMs,
  );
}

/** Waits until it is gone from the screen (an error line after the correction). */
export function unseen(locator: Locator, timeoutMs = 15_000): Promise<void> {
  return until(async () => ((await onScreen(locator)) === true ? 'still on screen' : true), `still on screen: ${String(locator)}`, timeoutMs);
}

/** Every Adaptive Card the page shows, newest last. */
export const cards = (page: Page) => page.locator('.ac-adaptiveCard');

/** The newest card that holds `text`. */
export const cardWith = (page: Page, text: string | RegExp) => cards(page).filter({ hasText: text }).last();

/** Types in the message box at the bottom of the chat and sends it with Enter, as a person does. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.locator('[role="textbox"][contenteditable="true"]');
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Opens a chat in the left column (a personal chat, the group chat or a channel) by its visible name. */
export async function openChat(page: Page, name: string): Promise<void> {
  await page.getByText(name, { exact: true }).first().click();
}

/** A button of a card by what it says. */
export const button = (scope: Locator | Page, name: string | RegExp) => scope.getByRole('button', { name, exact: typeof name === 'string' }).last();

/**
 * Saves a picture of the element for the guide, when `npm run screenshots` asks for them (SCREENSHOT_DIR).
 * Cropped to the element (at most `maxHeight` pixels of it), so each picture stays small.
 */
export async function picture(locator: Locator, name: string, maxHeight = 1200): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A card taller than the chat would be cut by the Playground's header: make the window tall enough for a
  // moment, then give it back its size.
  const page = locator.page();
  const size = page.viewportSize()!;
  const height = (await locator.boundingBox())?.height ?? 0;
  if (height > size.height - 300) await page.setViewportSize({ width: size.width, height: Math.ceil(height) + 400 });
  try {
    await locator.scrollIntoViewIfNeeded();
    const box = (await locator.boundingBox())!;
    // Only the top of a very long card: the guide shows where to start, and the file stays small.
    const clip = { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, maxHeight) };
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), clip, animations: 'disabled' });
  } finally {
    await page.setViewportSize(size);
  }
}

/** axe-core's source, injected into the page to check what the bot controls. */
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: string[]; html: string; failureSummary?: string }>;
}

/**
 * Runs axe-core on the bot's cards only (not the Playground's own chrome): accessible names of inputs and
 * buttons, alt text of images, and contrast (4.5:1 for normal text).
 */
export async function axeOnCards(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(
      { include: [['.ac-adaptiveCard']] },
      {
        runOnly: {
          type: 'rule',
          values: ['label', 'select-name', 'input-button-name', 'button-name', 'image-alt', 'role-img-alt', 'color-contrast', 'link-name', 'aria-input-field-name', 'aria-toggle-field-name', 'duplicate-id-aria'],
        },
        resultTypes: ['violations'],
      },
    );
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
  });
}

/**
 * A dilemma someone logged before the test, through the service (the form itself is tested in the browser):
 * so lists have more than one theme and the agenda has a candidate. `who` is a first name.
 */
export async function dilemmaBy(
  ui: UiRun,
  who: string,
  fields: { title: string; description: string; theme: string; municipalities: string[]; wantsAgenda: boolean },
): Promise<string> {
  const file = readPlaygroundFile();
  const user = [file.currentUser, ...file.users].find((u) => String(u.givenName).toLowerCase() === who)!;
  const { services } = ui.session.app;
  const member = await services.members.resolve({ tenantId: file.tenantId.toLowerCase(), aadObjectId: user.aadObjectId.toLowerCase(), name: user.name });
  if (!member) throw new Error(`${who} is not a member`);
  const result = (await services.dilemmas.create(member, { ...fields, relatedPlan: '', visibility: 'members' }, `ui-${Date.now()}-${who}`)) as { dilemma?: { id: string } };
  if (!result.dilemma) throw new Error(`the dilemma of ${who} was not saved: ${JSON.stringify(result)}`);
  return result.dilemma.id;
}
