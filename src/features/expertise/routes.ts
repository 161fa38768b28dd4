// "wie weet", "mijn expertise", the detail button and the check before saving: Teams in, service calls, cards out.
import { TeamsInfo } from 'botbuilder';
import type { Core, MemberTurn, Routes } from '../../capability';
import { errorFields } from '../../log';
import { isShared, replaceCard, sendCard } from '../../turn';
import { clip, literal } from '../../cards/markdown';
import { mayUseDilemmas, type DilemmaService, type Viewer } from '../dilemmas';
import { peopleCard, profileCard, similarCard } from './cards';
import { t } from './messages';
import { LIMITS, profileSubmitSchema, similarRecogniseSchema, whoKnowsSubmitSchema } from './model';
import type { ExpertiseService } from './service';

function viewerOf(turn: MemberTurn): Viewer {
  return { member: turn.member, shared: isShared(turn.context) };
}

const BO_ROLES = ['wethouder', 'directeur-bestuurder', 'secretariaat'] as const;

export function expertiseRoutes(expertise: ExpertiseService, dilemmas: DilemmaService, core: Core): Routes {
  /** Who was asked already in this process (Teams may not say; then asking again is no use). */
  const asked = new Set<string>();

  /** Teams tells the person's sign-in name (UPN), which the chat link needs: asked once, in their own chat. */
  async function learnUpn(turn: MemberTurn): Promise<void> {
    if (isShared(turn.context) || expertise.knowsUpn(turn.member)) return;
    const key = `${turn.member.tenantId}|${turn.member.aadObjectId}`;
    if (asked.has(key)) return;
    if (asked.size > 10_000) asked.clear();
    asked.add(key);
    try {
      const account = await TeamsInfo.getMember(turn.context, turn.context.activity.from.id);
      if (account.userPrincipalName) await expertise.learnUpn(turn.member, account.userPrincipalName);
    } catch (err) {
      core.log.debug({ event: 'expertise.upnUnknown', err: errorFields(err) }, 'sign-in name not known');
    }
  }

  async function whoKnows(turn: MemberTurn): Promise<void> {
    if (!mayUseDilemmas(turn.member)) return void (await turn.context.sendActivity(t(turn.locale, 'expertise.notForRole')));
    const topic = turn.args.trim().replace(/^(weet|knows)\s+/i, '').slice(0, LIMITS.topic);
    if (!topic) return void (await turn.context.sendActivity(t(turn.locale, 'who.askTopic')));
    const answer = await expertise.whoKnows(viewerOf(turn), topic);
    await sendCard(turn.context, peopleCard(turn.locale, { title: t(turn.locale, 'who.title', { topic: literal(clip(topic, 60)) }), ...answer }));
    await learnUpn(turn);
  }

  async function showProfile(turn: MemberTurn): Promise<void> {
    if (!mayUseDilemmas(turn.member)) return void (await turn.context.sendActivity(t(turn.locale, 'expertise.notForRole')));
    if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'expertise.personalOnly')));
    await learnUpn(turn);
    await sendCard(turn.context, profileCard(turn.locale, await expertise.profile(turn.member)));
  }

  // In a group chat or channel, this shows only when everyone in it may read dilemmas (the core's room rule).
  return {
    audience: { roles: BO_ROLES, where: 'members' },
    refusals: { role: (locale) => t(locale, 'expertise.notForRole'), notEveryone: (locale) => t(locale, 'expertise.notEveryone') },
    menu: [
      { label: (locale) => t(locale, 'menu.whoKnows'), command: 'wie weet', roles: ['wethouder', 'directeur-bestuurder', 'secretariaat'] },
      { label: (locale) => t(locale, 'menu.myExpertise'), command: 'mijn expertise', roles: ['wethouder', 'directeur-bestuurder', 'secretariaat'] },
    ],
    commands: [
      { words: ['wie weet', 'who knows'], handler: whoKnows },
      { words: ['mijn expertise', 'my expertise', 'expertise'], handler: showProfile },
    ],
    actions: [
      {
        verb: 'expertiseWhoKnows',
        handler: async (turn) => {
          const { id } = whoKnowsSubmitSchema.parse(turn.context.activity.value);
          const answer = await expertise.whoKnowsAbout(viewerOf(turn), id);
          await sendCard(turn.context, peopleCard(turn.locale, { title: t(turn.locale, 'who.titleDilemma', { id }), topic: answer.topic, people: answer.people }));
        },
      },
      {
        verb: 'expertiseSave',
        handler: async (turn) => {
          if (isShared(turn.context)) return void (await turn.context.sendActivity(t(turn.locale, 'expertise.personalOnly')));
          const raw = profileSubmitSchema.parse(turn.context.activity.value ?? {});
          const input = {
            themes: raw.themes.split(',').map((x) => x.trim()).filter(Boolean),
            words: raw.words,
            findable: raw.findable !== 'false',
          };
          const result = await expertise.saveProfile(turn.member, input);
          if (!result.ok) {
            const shown = { ...(await expertise.profile(turn.member)), words: raw.words.slice(0, LIMITS.words), findable: input.findable };
            const problem = t(turn.locale, `profile.problem.${result.problem}` as Parameters<typeof t>[1]);
            return void (await replaceCard(turn.context, profileCard(turn.locale, shown, undefined, problem)));
          }
          const notice = t(turn.locale, result.profile.findable ? 'profile.saved' : 'profile.hidden');
          await replaceCard(turn.context, profileCard(turn.locale, result.profile, notice));
        },
      },
      {
        // "Herkenbaar" on the similar-dilemmas card: recognise, and show the same card again with the typed values.
        verb: 'expertiseRecognise',
        handler: async (turn) => {
          const input = similarRecogniseSchema.parse(turn.context.activity.value);
          const viewer = viewerOf(turn);
          await dilemmas.setRecognition(viewer, input.id, true);
          const form: Record<string, string> = { ...input.form, title: input.title, description: input.description };
          const similar = await expertise.similar(viewer, { title: form.title ?? '', description: form.description ?? '', theme: form.theme ?? '' });
          const recognised = [...new Set([...input.recognised, input.id])];
          const notice = t(turn.locale, 'similar.recognised', { id: input.id });
          await replaceCard(turn.context, similarCard(turn.locale, { similar, form, recognised, notice }));
        },
      },
    ],
  };
}
