// The secretariaat reads the audit trail: `logboek` pages through it newest first, and a signed link
// downloads it as CSV.
import type { Request, Response } from 'restify';
import { z } from 'zod';
import type { Core, MemberTurn, Routes } from '../capability';
import { card, heading, submit, textBlock, type CardElement } from '../cards/adaptive';
import { literal } from '../cards/markdown';
import { formatDateTime, t, type Locale } from '../i18n';
import { isShared, replaceCard, sendCard } from '../turn';
import { tokenOf } from './links';
import { auditCsv, auditSentence, type AuditEntry, type AuditLog, type AuditSentences, type AuditWords } from './audit';

const PAGE = 15;
const EXPORT_PATH = '/audit/export';
const EXPORT_PURPOSE = 'audit-export';
const EXPORT_TTL_MS = 15 * 60 * 1000;

const pageSchema = z.object({ after: z.string().regex(/^[0-9a-f-]{1,40}$/).optional() });
const linkSchema = z.object({ locale: z.enum(['nl', 'en']).default('nl') });

/** The logboek's words: the sentences of every capability and the core, in the core's catalog for the rest. */
export function auditWords(sentences: AuditSentences): AuditWords {
  return {
    sentences,
    actor: (kind, locale) => t(locale, `audit.actor.${kind}`),
    unknown: (locale, action, target) => t(locale, 'audit.unknown', { action, target }),
  };
}

export function auditRoutes(core: Core, audit: AuditLog, words: AuditWords): Routes {
  async function show(turn: MemberTurn, after: string | undefined, replace: boolean) {
    const { context, member, locale } = turn;
    if (member.role !== 'secretariaat') return void (await context.sendActivity(t(locale, 'error.notAllowed')));
    if (isShared(context)) return void (await context.sendActivity(t(locale, 'audit.personalOnly')));
    const { entries, more } = await audit.page(PAGE, after);
    const url = core.links.url(EXPORT_PATH, EXPORT_PURPOSE, { by: member.aadObjectId, locale }, EXPORT_TTL_MS);
    const view = auditCard(locale, entries, more, url, words);
    await (replace ? replaceCard(context, view) : sendCard(context, view));
  }
  return {
    audience: { roles: ['secretariaat'], where: 'personal' },
    refusals: { personalOnly: (locale) => t(locale, 'audit.personalOnly') },
    menu: [{ label: (locale) => t(locale, 'audit.menu'), command: 'logboek', roles: ['secretariaat'], group: 'manage' }],
    commands: [{ words: ['logboek', 'audit'], handler: (turn) => show(turn, undefined, false) }],
    actions: [{ verb: 'auditPage', handler: (turn) => show(turn, pageSchema.parse(turn.context.activity.value).after, true) }],
    http: [
      {
        method: 'get',
        path: EXPORT_PATH,
        handler: async (req: Request, res: Response) => {
          const checked = core.links.check(tokenOf(req.url), EXPORT_PURPOSE);
          if (!checked.ok) return void res.send(checked.reason === 'expired' ? 410 : 404, { error: checked.reason });
          const { locale } = linkSchema.parse(checked.data);
          const entries: AuditEntry[] = [];
          for await (const entry of audit.all()) entries.push(entry);
          res.writeHead(200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="bo-wonen-logboek.csv"',
            'cache-control': 'no-store',
          });
          res.end(auditCsv(entries, words, locale));
        },
      },
    ],
  };
}

function auditCard(locale: Locale, entries: AuditEntry[], more: boolean, csvUrl: string, words: AuditWords) {
  const body: CardElement[] = [heading(t(locale, 'audit.title')), textBlock(t(locale, 'audit.intro'), { isSubtle: true })];
  if (!entries.length) body.push(textBlock(t(locale, 'audit.empty')));
  for (const e of entries) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(`**${formatDateTime(new Date(e.at), locale)}**`, { size: 'Small', isSubtle: true }),
        // Names and titles in the sentence were typed by people: shown as typed, never as markdown.
        textBlock(literal(auditSentence(e, locale, words)), { spacing: 'None' }),
      ],
    });
  }
  body.push(textBlock(t(locale, 'audit.csvNote'), { isSubtle: true, size: 'Small' }));
  const last = entries[entries.length - 1];
  return card(body, [
    ...(more && last ? [submit(t(locale, 'audit.more'), { verb: 'auditPage', after: last.id })] : []),
    { type: 'Action.OpenUrl', title: t(locale, 'audit.csv'), url: csvUrl },
  ]);
}
