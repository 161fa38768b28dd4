// Cards of "wie weet wat": people who know, similar dilemmas before saving, and one's own expertise. Pure.
import { actionSet, card, choiceSet, heading, rowName, submit, textBlock, type AdaptiveCard, type CardElement } from '../../cards/adaptive';
import { clip, literal } from '../../cards/markdown';
import type { Locale } from '../../i18n';
import { DILEMMA_LIMITS, THEMES } from '../dilemmas';
import { t } from './messages';
import { LIMITS, type Profile, type SimilarDilemma, type Suggestion } from './model';

/** How a topic reads in a sentence: a concept id from the housing list ("sociale-huur" → "sociale huur"). */
function topicWords(topic: string): string {
  return topic.replace(/-/g, ' ');
}

function themeName(locale: Locale, id: string): string {
  const theme = THEMES.find((x) => x.id === id);
  return theme ? theme[locale] : id;
}

/** Teams' deep link that opens a chat with one person; Teams takes their sign-in name (UPN). */
export function chatLink(upn: string): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}`;
}

/** The sentences that say why someone is suggested, most telling first. */
export function reasonLines(locale: Locale, s: Suggestion, topic: string): string[] {
  const about = topic ? t(locale, 'who.about', { topic: topicWords(topic) }) : t(locale, 'who.aboutThis');
  const r = s.reasons;
  const lines: string[] = [];
  const counted = (n: number, one: Parameters<typeof t>[1], many: Parameters<typeof t>[1]) =>
    lines.push(n === 1 ? t(locale, one, { about }) : t(locale, many, { count: n, about }));
  if (r.responded) counted(r.responded, 'who.respondedOne', 'who.responded');
  if (r.talk) lines.push(t(locale, 'who.talk', { about }));
  if (r.logged) counted(r.logged, 'who.loggedOne', 'who.logged');
  if (r.recognised) counted(r.recognised, 'who.recognisedOne', 'who.recognised');
  if (r.stated.length) {
    const what = r.stated.map((w) => (w.startsWith('#') ? themeName(locale, w.slice(1)) : literal(clip(w, 60)))).join(', ');
    lines.push(t(locale, 'who.stated', { what }));
  }
  return lines;
}

export interface PeopleView {
  /** The heading: what was asked, or a dilemma. */
  title: string;
  topic: string;
  people: Suggestion[];
}

export function peopleCard(locale: Locale, view: PeopleView): AdaptiveCard {
  const body: CardElement[] = [heading(view.title)];
  if (!view.people.length) {
    body.push(textBlock(t(locale, 'who.none')));
    return card(body);
  }
  body.push(textBlock(t(locale, 'who.intro'), { isSubtle: true, size: 'Small' }));
  for (const p of view.people) {
    const role = t(locale, `who.role.${p.role}` as Parameters<typeof t>[1]);
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(`**${literal(clip(p.name, 100))}** · ${literal(clip(p.organisation, 100))} · ${role}`),
        textBlock(reasonLines(locale, p, view.topic).map((l) => `- ${l}`).join('\n'), { spacing: 'Small', size: 'Small' }),
        p.upn
          ? actionSet([{ type: 'Action.OpenUrl', title: t(locale, 'who.chat', { name: clip(p.name, 60) }), url: chatLink(p.upn) }])
          : textBlock(t(locale, 'who.noChat', { name: literal(clip(p.name, 100)) }), { isSubtle: true, size: 'Small' }),
      ],
    });
  }
  return card(body);
}

export interface SimilarView {
  similar: SimilarDilemma[];
  /** The form's values, kept in every button so nothing typed is lost. */
  form: Record<string, string>;
  /** Dilemmas recognised on this card already. */
  recognised: string[];
  notice?: string;
}

/** The typed title and description travel once, as the card's inputs (every button sends them); the rest in the buttons. */
const TYPED = ['title', 'description'] as const;

export function similarCard(locale: Locale, view: SimilarView): AdaptiveCard {
  const body: CardElement[] = [heading(t(locale, 'similar.title'))];
  if (view.notice) body.push(textBlock(view.notice, { weight: 'Bolder', color: 'Good' }));
  body.push(textBlock(t(locale, 'similar.intro')));
  const rest = Object.fromEntries(Object.entries(view.form).filter(([key]) => !(TYPED as readonly string[]).includes(key)));
  for (const s of view.similar) {
    const actions: CardElement[] = [];
    if (!view.recognised.includes(s.id)) {
      actions.push(submit(t(locale, 'similar.recognise'), { verb: 'expertiseRecognise', id: s.id, form: rest, recognised: view.recognised }, rowName(t(locale, 'similar.recognise'), `${s.id} ${s.title}`)));
    }
    actions.push(submit(t(locale, 'similar.open', { id: s.id }), { verb: 'dilemmaOpen', id: s.id }));
    body.push({
      type: 'Container',
      separator: true,
      items: [
        textBlock(t(locale, 'similar.item', { id: s.id, title: literal(clip(s.title, 120)) }), { weight: 'Bolder' }),
        textBlock(themeName(locale, s.theme), { isSubtle: true, size: 'Small', spacing: 'None' }),
        actionSet(actions),
      ],
    });
  }
  body.push({
    type: 'Container',
    separator: true,
    items: [
      { type: 'Input.Text', id: 'title', label: t(locale, 'similar.yourTitle'), maxLength: DILEMMA_LIMITS.title, value: view.form.title ?? '' },
      { type: 'Input.Text', id: 'description', label: t(locale, 'similar.yourDescription'), isMultiline: true, maxLength: DILEMMA_LIMITS.description, value: view.form.description ?? '' },
    ],
  });
  return card(body, [submit(t(locale, 'similar.saveAnyway'), { verb: 'dilemmaSave', ...rest, similarChecked: 'true' }, { style: 'positive' })]);
}

export function profileCard(locale: Locale, profile: Profile, notice?: string, problem?: string): AdaptiveCard {
  const body: CardElement[] = [heading(t(locale, 'profile.title'))];
  if (notice) body.push(textBlock(notice, { weight: 'Bolder', color: 'Good' }));
  if (problem) body.push(textBlock(problem, { color: 'Attention' }));
  body.push(textBlock(t(locale, 'profile.intro')));
  body.push(
    choiceSet('themes', t(locale, 'profile.themes'), THEMES.filter((x) => x.id !== 'overig').map((x) => ({ title: x[locale], value: x.id })), {
      isMultiSelect: true,
      value: profile.themes.join(','),
    }),
    { type: 'Input.Text', id: 'words', label: t(locale, 'profile.words'), maxLength: LIMITS.words, value: profile.words },
    { type: 'Input.Toggle', id: 'findable', title: t(locale, 'profile.findable'), valueOn: 'true', valueOff: 'false', value: profile.findable ? 'true' : 'false' },
  );
  return card(body, [submit(t(locale, 'profile.save'), { verb: 'expertiseSave' })]);
}
