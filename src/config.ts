// Environment → typed configuration. The only module that reads process.env (scripts pass overrides in).
import { z } from 'zod';
import { Cron } from 'croner';

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(/[\s,;]+/)
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item.length > 0),
  );

const guidList = list.pipe(
  z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a GUID')),
);

/** A cron pattern of five fields, read in Amsterdam time by the scheduler. */
const cronPattern = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, 'must be a cron pattern of five fields, e.g. "0 8 * * 1"')
  .refine((pattern) => {
    try {
      new Cron(pattern, { paused: true });
      return true;
    } catch {
      return false;
    }
  }, 'is not a valid cron pattern, e.g. "0 8 * * 1" (Monday 08:00)');

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    // Storage: a connection string (Azurite or Azure), or an account URL used with DefaultAzureCredential.
    STORAGE_CONNECTION_STRING: z.string().trim().default(''),
    STORAGE_ACCOUNT_URL: z.string().trim().url().or(z.literal('')).default(''),
    TABLE_PREFIX: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,29}$/, 'letters and digits only, starting with a letter, at most 30')
      .default('bowonen'),

    // Bot identity. Empty locally: no token checks (the Agents Playground sends none).
    MICROSOFT_APP_ID: z.string().trim().default(''),
    MICROSOFT_APP_PASSWORD: z.string().default(''),
    // What infra/main.bicep creates (a user-assigned managed identity): Azure no longer creates multi-tenant bots.
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('UserAssignedMSI'),
    MICROSOFT_APP_TENANT_ID: z.string().trim().default(''),
    // Without an app id nobody's token is checked: fine on loopback, dangerous anywhere else.
    ALLOW_UNAUTHENTICATED: z.enum(['true', 'false']).default('false'),

    // Access
    ALLOWED_TENANT_IDS: guidList,
    BOOTSTRAP_ADMINS: guidList,
    // How long a member's role may be read from memory; a change on another instance shows after at most this.
    MEMBER_CACHE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
    DEFAULT_LOCALE: z.enum(['nl', 'en']).default('nl'),

    // Links to files the bot serves (data exports, CSV lists, calendar files): where people reach the bot,
    // and the secret that signs the links. Empty secret: a new random one per process (links then stop
    // working after a restart, and differ between instances): set it in production.
    PUBLIC_BASE_URL: z.string().trim().url().or(z.literal('')).default(''),
    LINK_SIGNING_SECRET: z.string().refine((v) => v === '' || v.length >= 32, 'must be at least 32 characters').default(''),

    // Privacy: members who have not used the bot for this many days are erased by a daily job (0 = never).
    RETENTION_INACTIVE_DAYS: z.coerce.number().int().min(0).max(3650).default(730),
    // The Agents Playground always says en-US; npm start sets this to nl so the chat shows what Teams users see.
    FORCE_LOCALE: z.enum(['nl', 'en', '']).default(''),

    // Telemetry (Azure Monitor / Application Insights). Empty: no telemetry code is loaded and nothing is sent.
    APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().trim().default(''),
    // Plans: the regional target that `voortgang` measures against, and the betaalbare-koop price limit.
    PLANS_TARGET_HOMES: z.coerce.number().int().min(1).max(1_000_000).default(7000),
    PLANS_TARGET_FROM_YEAR: z.coerce.number().int().min(2000).max(2100).default(2022),
    PLANS_TARGET_TO_YEAR: z.coerce.number().int().min(2000).max(2100).default(2030),
    PLANS_SOCIAL_RENT_SHARE_PERCENT: z.coerce.number().min(0).max(100).default(33.3),
    PLANS_AFFORDABLE_PURCHASE_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(390000),
    // How long a bot process answers plan questions from memory before it checks storage for changes made by
    // another process (one point read); changes made on the same process count at once.
    PLANS_REFRESH_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    // How often a bot process reads the dilemma change log, so another process's new and changed dilemmas show
    // in its lists; its own changes show at once. 0 reads it before every list (slower; for tests).
    DILEMMA_REFRESH_MS: z.coerce.number().int().min(0).max(60_000).default(500),
    // "wie weet" and the similar-dilemmas check answer from an index this old at most (0: brought up to date
    // before every answer; slower, for tests), and the secretariaat's own list of terms that mean the same.
    EXPERTISE_REFRESH_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    EXPERTISE_CONCEPTS_FILE: z.string().trim().default(''),
    // Proactive messages (outbox, queue, throttle) and the agenda digest.
    // The work queue's endpoint when STORAGE_ACCOUNT_URL is used; derived from it (.table. → .queue.) if empty.
    STORAGE_QUEUE_URL: z.string().trim().url().or(z.literal('')).default(''),
    // 40, a fifth below Teams' 50 a second: Teams counts in its own windows, and the network moves sends about.
    PROACTIVE_APP_RATE: z.coerce.number().int().min(1).max(1000).default(40),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    OUTBOX_VISIBILITY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    // Sends in flight per instance: also the most a crash of that instance can send twice.
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    // How often every instance looks for outbox rows without a queue message (every 2 s while it knows of some).
    OUTBOX_SWEEP_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    OUTBOX_WORKER: z.enum(['on', 'off']).default('on'),
    TEAMS_SERVICE_URL: z.string().trim().url().default('https://smba.trafficmanager.net/emea/'),
    DIGEST_SCHEDULE: cronPattern.default('0 8 * * 1'),
    DIGEST_DAYS_BEFORE_MEETING: z.coerce.number().int().min(0).max(30).default(3),
    DIGEST_CHANNEL_ID: z.string().trim().max(300).default(''),
    SCHEDULER: z.enum(['on', 'off']).default('on'),

    // Sessions: the reminder before a session, how long a calendar link works, how often reminders are checked.
    SESSION_REMINDER_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(24),
    SESSION_CALENDAR_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    SESSION_JOB_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),

    // Decisions and agreements: when reminders are checked (cron, Amsterdam time) and how many days before
    // the due date an owner is reminded; how long a besluitenlijst link works.
    DECISIONS_REMINDER_SCHEDULE: cronPattern.default('0 8 * * *'),
    DECISIONS_REMINDER_DAYS: z.coerce.number().int().min(1).max(60).default(3),
    DECISIONS_LINK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  })
  .superRefine((env, ctx) => {
    if (!env.STORAGE_CONNECTION_STRING && !env.STORAGE_ACCOUNT_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['STORAGE_CONNECTION_STRING'],
        message: 'set STORAGE_CONNECTION_STRING or STORAGE_ACCOUNT_URL (npm start sets Azurite for you)',
      });
    }
    if (env.PLANS_TARGET_FROM_YEAR > env.PLANS_TARGET_TO_YEAR) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['PLANS_TARGET_FROM_YEAR'], message: 'must not be after PLANS_TARGET_TO_YEAR' });
    }
    if (env.ALLOWED_TENANT_IDS.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['ALLOWED_TENANT_IDS'],
        message: 'list at least one Entra tenant id that may use the bot',
      });
    }
    if (env.APPLICATIONINSIGHTS_CONNECTION_STRING && !/(^|;)\s*InstrumentationKey=/i.test(env.APPLICATIONINSIGHTS_CONNECTION_STRING)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['APPLICATIONINSIGHTS_CONNECTION_STRING'],
        message: 'must be the connection string of an Application Insights resource (it starts with InstrumentationKey=)',
      });
    }
    const loopback = ['127.0.0.1', 'localhost', '::1'].includes(env.HOST);
    if (!env.MICROSOFT_APP_ID && !loopback && env.ALLOW_UNAUTHENTICATED !== 'true') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MICROSOFT_APP_ID'],
        message: `is empty while HOST=${env.HOST} is reachable from other machines, so anyone could pose as any member; set the bot's app id (or ALLOW_UNAUTHENTICATED=true for a closed test network)`,
      });
    }
    if (env.MICROSOFT_APP_ID && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !env.MICROSOFT_APP_PASSWORD) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MICROSOFT_APP_PASSWORD'],
        message: 'is required when MICROSOFT_APP_ID is set (except for UserAssignedMSI)',
      });
    }
    if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MICROSOFT_APP_TENANT_ID'],
        message: `is required for MICROSOFT_APP_TYPE=${env.MICROSOFT_APP_TYPE}`,
      });
    }
  });

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  storage: { connectionString: string; accountUrl: string; tablePrefix: string };
  bot: { appId: string; appPassword: string; appType: string; tenantId: string };
  access: { allowedTenantIds: string[]; bootstrapAdmins: string[]; memberCacheMs: number };
  locale: LocaleSettings;
  links: { publicBaseUrl: string; signingSecret: string };
  privacy: { inactiveDays: number };
  telemetry: { connectionString: string };
  dilemmas: { refreshMs: number };
  expertise: { refreshMs: number; conceptsFile: string };
  plans: { targetHomes: number; fromYear: number; toYear: number; socialRentShare: number; affordablePurchaseLimit: number; refreshMs: number };
  proactive: ProactiveSettings;
  digest: DigestSettings;
  sessions: SessionSettings;
  decisions: DecisionSettings;
}

interface DecisionSettings {
  /** When open agreements are checked for a reminder (cron, Amsterdam time). */
  reminderSchedule: string;
  /** Days before the due date that the owner is reminded (once). */
  reminderDays: number;
  /** Minutes a besluitenlijst download link works. */
  linkMinutes: number;
}

export interface ProactiveSettings {
  queueUrl: string;
  /** Requests a second to Teams for the whole app, shared by every instance. */
  appRate: number;
  maxAttempts: number;
  visibilitySeconds: number;
  /** Sends in flight per instance (the most a crash can repeat). */
  concurrency: number;
  sweepSeconds: number;
  retentionDays: number;
  worker: boolean;
  /** Where to create a 1:1 chat with someone who never wrote to the bot (their tenant's own chats win). */
  teamsServiceUrl: string;
}

interface DigestSettings {
  /** Cron pattern in Europe/Amsterdam time. */
  schedule: string;
  /** Also this many days before each BO meeting (0 = not). */
  daysBeforeMeeting: number;
  /** A conversation (channel) id that gets the digest too; empty = none. */
  channelId: string;
  scheduler: boolean;
}

interface SessionSettings {
  /** Hours before the start that the reminder goes out. */
  reminderHours: number;
  calendarLinkDays: number;
  jobIntervalMs: number;
}

export interface LocaleSettings {
  /** For people whose Teams locale is neither Dutch nor English. */
  fallback: 'nl' | 'en';
  /** When set, everyone gets this language whatever Teams says. */
  force?: 'nl' | 'en';
}

export class ConfigError extends Error {}

/** Parses an environment with a schema, or throws one readable sentence naming every bad variable. */
function parseEnv<T extends z.ZodTypeAny>(schema: T, env: Record<string, string | undefined>, hint = ''): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new ConfigError(`Bad configuration: ${problems.join('; ')}.${hint}`);
  }
  return parsed.data;
}

/** Reads and validates the environment; throws ConfigError with one readable sentence per problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = parseEnv(envSchema, env, ' See .env.example.');
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    storage: {
      connectionString: e.STORAGE_CONNECTION_STRING,
      accountUrl: e.STORAGE_ACCOUNT_URL,
      tablePrefix: e.TABLE_PREFIX,
    },
    bot: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      // Without an app id there is no identity to use: botbuilder's "no token checks" mode (local, Playground)
      // exists only as MultiTenant with an empty id, and its MSI and single-tenant modes refuse an empty id.
      appType: e.MICROSOFT_APP_ID ? e.MICROSOFT_APP_TYPE : 'MultiTenant',
      tenantId: e.MICROSOFT_APP_TENANT_ID,
    },
    access: {
      allowedTenantIds: e.ALLOWED_TENANT_IDS,
      bootstrapAdmins: e.BOOTSTRAP_ADMINS,
      memberCacheMs: e.MEMBER_CACHE_SECONDS * 1000,
    },
    locale: { fallback: e.DEFAULT_LOCALE, ...(e.FORCE_LOCALE ? { force: e.FORCE_LOCALE } : {}) },
    links: { publicBaseUrl: e.PUBLIC_BASE_URL, signingSecret: e.LINK_SIGNING_SECRET },
    privacy: { inactiveDays: e.RETENTION_INACTIVE_DAYS },
    telemetry: { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING },
    dilemmas: { refreshMs: e.DILEMMA_REFRESH_MS },
    expertise: { refreshMs: e.EXPERTISE_REFRESH_MS, conceptsFile: e.EXPERTISE_CONCEPTS_FILE },
    plans: {
      targetHomes: e.PLANS_TARGET_HOMES,
      fromYear: e.PLANS_TARGET_FROM_YEAR,
      toYear: e.PLANS_TARGET_TO_YEAR,
      socialRentShare: e.PLANS_SOCIAL_RENT_SHARE_PERCENT / 100,
      affordablePurchaseLimit: e.PLANS_AFFORDABLE_PURCHASE_LIMIT,
      refreshMs: e.PLANS_REFRESH_MS,
    },
    proactive: {
      queueUrl: e.STORAGE_QUEUE_URL || e.STORAGE_ACCOUNT_URL.replace('.table.', '.queue.'),
      appRate: e.PROACTIVE_APP_RATE,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      visibilitySeconds: e.OUTBOX_VISIBILITY_SECONDS,
      concurrency: e.OUTBOX_CONCURRENCY,
      sweepSeconds: e.OUTBOX_SWEEP_SECONDS,
      retentionDays: e.OUTBOX_RETENTION_DAYS,
      worker: e.OUTBOX_WORKER === 'on',
      teamsServiceUrl: e.TEAMS_SERVICE_URL,
    },
    digest: {
      schedule: e.DIGEST_SCHEDULE,
      daysBeforeMeeting: e.DIGEST_DAYS_BEFORE_MEETING,
      channelId: e.DIGEST_CHANNEL_ID,
      scheduler: e.SCHEDULER === 'on',
    },
    sessions: {
      reminderHours: e.SESSION_REMINDER_HOURS,
      calendarLinkDays: e.SESSION_CALENDAR_LINK_DAYS,
      jobIntervalMs: e.SESSION_JOB_SECONDS * 1000,
    },
    decisions: {
      reminderSchedule: e.DECISIONS_REMINDER_SCHEDULE,
      reminderDays: e.DECISIONS_REMINDER_DAYS,
      linkMinutes: e.DECISIONS_LINK_MINUTES,
    },
  };
}

/** The connection string Azurite answers to on a given port (the well-known development account). */
export function azuriteConnectionString(port: number, host = '127.0.0.1', queuePort?: number): string {
  return (
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
    'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
    `TableEndpoint=http://${host}:${port}/devstoreaccount1;` +
    (queuePort ? `QueueEndpoint=http://${host}:${queuePort}/devstoreaccount1;` : '')
  );
}

const packageEnvSchema = z.object({
  MICROSOFT_APP_ID: z
    .string()
    .trim()
    .regex(/^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
    .default(''),
  BOT_DOMAIN: z.string().trim().default(''),
});

/** What `npm run package` needs: the bot's app id (and optionally the domain it runs on). */
export function loadPackageConfig(env: Record<string, string | undefined> = process.env): { appId: string; botDomain: string } {
  const e = parseEnv(packageEnvSchema, env);
  return { appId: e.MICROSOFT_APP_ID, botDomain: e.BOT_DOMAIN };
}

const backupEnvSchema = z
  .object({
    STORAGE_CONNECTION_STRING: z.string().trim().default(''),
    STORAGE_ACCOUNT_URL: z.string().trim().url().or(z.literal('')).default(''),
    TABLE_PREFIX: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,29}$/, 'letters and digits only, starting with a letter, at most 30').default('bowonen'),
  })
  .refine((env) => env.STORAGE_CONNECTION_STRING || env.STORAGE_ACCOUNT_URL, {
    path: ['STORAGE_ACCOUNT_URL'],
    message: 'or STORAGE_CONNECTION_STRING must name the account to back up or restore (see infra/README.md)',
  });

/** What `npm run export:tables` and `import:tables` need: only the storage account and the table prefix. */
export function loadBackupConfig(env: Record<string, string | undefined> = process.env): Config['storage'] {
  const e = parseEnv(backupEnvSchema, env);
  return { connectionString: e.STORAGE_CONNECTION_STRING, accountUrl: e.STORAGE_ACCOUNT_URL, tablePrefix: e.TABLE_PREFIX };
}

const startEnvSchema = z.object({
  AZURITE_PORT: z.coerce.number().int().min(1).max(65535).default(10002),
  AZURITE_QUEUE_PORT: z.coerce.number().int().min(1).max(65535).default(10001),
  AZURITE_LOCATION: z.string().min(1).default('.azurite'),
  PLAYGROUND: z.enum(['on', 'off']).default('on'),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  PLAYGROUND_AS: z.string().trim().default(''),
});

export interface StartOptions {
  azuritePort: number;
  azuriteQueuePort: number;
  azuriteLocation: string;
  playground: boolean;
  playgroundPort: number;
  playgroundAs: string;
}

/** Options of `npm start` (the local launcher): environment first, command-line flags win. */
export function loadStartOptions(env: Record<string, string | undefined>, argv: string[]): StartOptions {
  const e = parseEnv(startEnvSchema, env);
  const asIndex = argv.indexOf('--as');
  const unknown = argv.filter((arg, i) => arg.startsWith('--') && !['--no-playground', '--as'].includes(arg) && argv[i - 1] !== '--as');
  if (unknown.length) throw new ConfigError(`Unknown option ${unknown[0]}: use --no-playground or --as <name>.`);
  return {
    azuritePort: e.AZURITE_PORT,
    azuriteQueuePort: e.AZURITE_QUEUE_PORT,
    azuriteLocation: e.AZURITE_LOCATION,
    playground: e.PLAYGROUND === 'on' && !argv.includes('--no-playground'),
    playgroundPort: e.PLAYGROUND_PORT,
    playgroundAs: asIndex >= 0 ? (argv[asIndex + 1] ?? '') : e.PLAYGROUND_AS,
  };
}
