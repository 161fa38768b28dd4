// Privacy (AVG/GDPR) for every capability at once: "mijn gegevens" shows and exports what the bot holds about
// a person (a card, and JSON at a signed, expiring link); "verwijder mijn gegevens" erases it after a
// confirmation; the secretariaat can do the same for a member who left; a daily job erases inactive members.
import type { Request, Response } from 'restify';
import type { Built, Core, Directory, MemberTurn, Routes } from '../capability';
import { card, heading, submit, textBlock } from '../cards/adaptive';
import { t, type Locale } from '../i18n';
import { samePerson, type Member, type PersonId } from '../identity';
import { personKey } from '../storage/keys';
import { tokenOf } from './links';
import { SYSTEM_ACTORS, type AuditActor, type AuditSentences } from './audit';
import { isShared, replaceCard, sendCard } from '../turn';
import { z } from 'zod';

const EXPORT_PATH = '/privacy/export';
const EXPORT_PURPOSE = 'privacy-export';
const EXPORT_TTL_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const targetSchema = z.object({ target: z.object({ tenantId: z.string().min(1).max(64), aadObjectId: z.string().min(1).max(64) }) });

export class Privacy {
  constructor(
    private readonly core: Core,
    private readonly built: Built[],
    private readonly directory: Directory,
  ) {}

  /**
   * Everything the bot holds about one person, per capability, plus what the core holds: where the bot can
   * reach them, and the messages it sent them (the outbox's delivery rows, whichever capability sent them).
   */
  async exportAll(person: PersonId): Promise<Record<string, unknown>> {
    const [parts, chat, outbox] = await Promise.all([
      Promise.all(this.built.map(async (b) => [b.capability.name, await b.privacy.export(person)] as const)),
      this.core.references.personalChat(person.tenantId, person.aadObjectId),
      this.core.outbox.personalData(person),
    ]);
    return {
      person: { tenantId: person.tenantId, aadObjectId: person.aadObjectId },
      exportedAt: new Date().toISOString(),
      conversations: chat ? [{ conversationType: chat.conversationType, locale: chat.locale, updatedAt: chat.updatedAt }] : [],
      deliveries: outbox.deliveries,
      ...Object.fromEntries(parts),
    };
  }

  /** Erases one person everywhere (capabilities in reverse order, then the messages sent them and the chat reference), and records it. */
  async eraseAll(person: PersonId, actor: AuditActor, why: 'self' | 'secretariaat' | 'retention'): Promise<void> {
    // The name, read before it goes: the logboek says whose data was erased, and nothing more of them.
    const subject = await this.directory.nameOf(person);
    for (const b of [...this.built].reverse()) await b.privacy.erase(person);
    await this.core.outbox.erase(person);
    await this.core.references.removePerson(person.tenantId, person.aadObjectId);
    await this.core.audit.record({ actor, capability: 'privacy', action: `privacy.erased.${why}`, target: personKey(person.tenantId, person.aadObjectId), ...(subject ? { subject } : {}) });
    this.core.log.info({ event: 'privacy.erased', why }, 'personal data erased');
  }

  /** Erases the members who have not used the bot for the configured period; returns how many. */
  async eraseInactive(now = new Date()): Promise<number> {
    const days = this.core.config.privacy.inactiveDays;
    if (days <= 0) return 0;
    const stale = await this.directory.inactiveSince(new Date(now.getTime() - days * DAY_MS));
    for (const person of stale) await this.eraseAll(person, SYSTEM_ACTORS.retention, 'retention');
    return stale.length;
  }

  /** Runs the retention job daily (and once shortly after start); stop() ends it. Safe on several instances. */
  startRetention(): { stop(): void } {
    const run = () =>
      void this.eraseInactive().catch((err: unknown) =>
        this.core.log.error({ event: 'privacy.retentionFailed', err: { message: String((err as Error)?.message ?? err) } }, 'retention job failed'),
      );
    const first = setTimeout(run, 60_000);
    const daily = setInterval(run, DAY_MS);
    first.unref();
    daily.unref();
    return { stop: () => (clearTimeout(first), clearInterval(daily)) };
  }

  routes(): Routes {
    const links = this.core.links;
    const overview = async ({ context, member, locale }: MemberTurn) => {
      // What someone holds is theirs to see: never in a chat others read.
      if (isShared(context)) return void (await context.sendActivity(t(locale, 'privacy.personalOnly')));
      const data = await this.exportAll(member);
      const url = links.url(EXPORT_PATH, EXPORT_PURPOSE, { tenantId: member.tenantId, aadObjectId: member.aadObjectId }, EXPORT_TTL_MS);
      const label = (part: string, kind: string) => {
        const own = this.built.find((b) => b.capability.name === part)?.capability.messages[locale] as Record<string, string> | undefined;
        return own?.[`privacy.${kind}`] ?? (part === 'conversations' || part === 'deliveries' ? t(locale, `privacy.${part}`) : kind);
      };
      await sendCard(context, overviewCard(locale, member, data, url, label));
    };
    const askErase = async ({ context, locale }: MemberTurn) => {
      if (isShared(context)) return void (await context.sendActivity(t(locale, 'privacy.personalOnly')));
      await sendCard(context, confirmCard(locale));
    };
    return {
      audience: { where: 'personal' },
      refusals: { personalOnly: (locale) => t(locale, 'privacy.personalOnly') },
      commands: [
        { words: ['mijn gegevens', 'my data'], handler: overview },
        { words: ['verwijder mijn gegevens', 'delete my data'], handler: askErase },
      ],
      actions: [
        {
          verb: 'privacyErase',
          handler: async ({ context, member, locale }) => {
            if (isShared(context)) return void (await context.sendActivity(t(locale, 'privacy.personalOnly')));
            await this.eraseAll(member, member, 'self');
            await replaceCard(context, card([textBlock(t(locale, 'privacy.erased'))]));
          },
        },
        {
          // "Nee": the question goes away, so it cannot be pressed later by mistake.
          verb: 'privacyEraseCancel',
          handler: async ({ context, locale }) => {
            await replaceCard(context, card([textBlock(t(locale, 'privacy.eraseCancelled'))]));
          },
        },
        {
          // The secretariaat erases a member who left (from the beheer card).
          verb: 'privacyEraseMember',
          handler: async ({ context, member, locale }) => {
            const { target } = targetSchema.parse(context.activity.value);
            if (member.role !== 'secretariaat') return void (await context.sendActivity(t(locale, 'error.notAllowed')));
            if (isShared(context)) return void (await context.sendActivity(t(locale, 'privacy.personalOnly')));
            if (samePerson(target, member)) return void (await context.sendActivity(t(locale, 'privacy.notYourself')));
            await this.eraseAll({ tenantId: target.tenantId.toLowerCase(), aadObjectId: target.aadObjectId.toLowerCase() }, member, 'secretariaat');
            await context.sendActivity(t(locale, 'privacy.erasedMember'));
          },
        },
      ],
      http: [
        {
          method: 'get',
          path: EXPORT_PATH,
          handler: async (req: Request, res: Response) => {
            const checked = links.check(tokenOf(req.url), EXPORT_PURPOSE);
            if (!checked.ok) return void res.send(checked.reason === 'expired' ? 410 : 404, { error: checked.reason === 'expired' ? 'Deze link is verlopen.' : 'Deze link bestaat niet.' });
            const person = { tenantId: checked.data.tenantId ?? '', aadObjectId: checked.data.aadObjectId ?? '' };
            const body = JSON.stringify(await this.exportAll(person), null, 2);
            res.writeHead(200, {
              'content-type': 'application/json; charset=utf-8',
              'content-disposition': 'attachment; filename="bo-wonen-mijn-gegevens.json"',
              'cache-control': 'no-store',
            });
            res.end(body);
          },
        },
      ],
    };
  }
}

/** A readable summary: per capability, how many things of each kind it holds about the person. */
/**
 * A readable summary: per kind of data, how many items (or "ja" for one profile or setting). The label of a
 * kind is the capability's own message `privacy.<kind>`, so a person reads words, not field names.
 */
function overviewCard(locale: Locale, member: Member, data: Record<string, unknown>, url: string, label: (part: string, kind: string) => string) {
  const lines: Array<{ title: string; value: string }> = [];
  for (const [part, value] of Object.entries(data)) {
    if (part === 'person' || part === 'exportedAt' || !value || typeof value !== 'object') continue;
    const entries = Array.isArray(value) ? [[part, value] as const] : Object.entries(value as Record<string, unknown>);
    for (const [kind, content] of entries) {
      if (Array.isArray(content) ? content.length : content) {
        lines.push({ title: label(part, kind), value: Array.isArray(content) ? String(content.length) : t(locale, 'privacy.present') });
      }
    }
  }
  return card(
    [
      heading(t(locale, 'privacy.title')),
      textBlock(t(locale, 'privacy.intro', { name: member.name })),
      { type: 'FactSet', facts: lines },
      textBlock(t(locale, 'privacy.download'), { isSubtle: true, size: 'Small' }),
    ],
    [
      { type: 'Action.OpenUrl', title: t(locale, 'privacy.downloadButton'), url },
      submit(t(locale, 'privacy.eraseButton'), { verb: 'command', command: 'verwijder mijn gegevens' }),
    ],
  );
}

function confirmCard(locale: Locale) {
  return card([heading(t(locale, 'privacy.eraseTitle')), textBlock(t(locale, 'privacy.eraseExplain'))], [
    submit(t(locale, 'privacy.eraseYes'), { verb: 'privacyErase' }, { style: 'destructive' }),
    submit(t(locale, 'privacy.eraseNo'), { verb: 'privacyEraseCancel' }),
  ]);
}

/** The logboek's sentences for erasures (the core's own actions). */
export const privacyAuditSentences: AuditSentences = {
  'privacy.erased.self': ({ locale, who }) => t(locale, 'audit.privacy.erased.self', { who }),
  // Without a name (the person was no longer a member when erased), the sentence says so, never the ids.
  'privacy.erased.secretariaat': ({ locale, who, subject, target }) =>
    subject === target ? t(locale, 'audit.privacy.erased.formerMember', { who }) : t(locale, 'audit.privacy.erased.secretariaat', { who, subject }),
  'privacy.erased.retention': ({ locale, subject, target }) =>
    t(locale, 'audit.privacy.erased.retention', { subject: subject === target ? t(locale, 'audit.someone') : subject }),
};
