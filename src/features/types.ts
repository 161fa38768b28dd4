// What features get from the bot: the services, and a registry of chat commands.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { ProactiveSender } from '../proactive/sender';
import type { ReferenceStore } from '../proactive/references';
import type { MemberService } from './members/service';
import type { DilemmaService } from './dilemmas/service';
import type { Member } from './members/model';
import type { MenuItem } from './core/cards';
import type { Locale } from '../i18n';

export interface Services {
  config: Config;
  log: Logger;
  members: MemberService;
  dilemmas: DilemmaService;
  references: ReferenceStore;
  sender: ProactiveSender;
}

export type BotApp = Application<TurnState>;

/** A member's turn: who they are and the language to answer in. */
export interface MemberTurn {
  context: TurnContext;
  member: Member;
  locale: Locale;
  /** The words after the command, e.g. "Hilversum" in "plannen Hilversum". */
  args: string;
}

export type CommandHandler = (turn: MemberTurn) => Promise<void>;

export interface Feature {
  menu?: MenuItem[];
  commands?: Array<{ words: string[]; handler: CommandHandler }>;
  register?(app: BotApp, services: Services): void;
}
