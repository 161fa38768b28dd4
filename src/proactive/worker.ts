// The outbox worker: takes messages from the work queue, on every instance, and sends them. The one place
// that retries: 429 waits for Retry-After and backs off with jitter, 5xx and 412 are retried a bounded number
// of times (the queue brings the message back later), 403/404 mark the person unreachable for good.
// It also sweeps: rows written while the queue was away get their queue message once it is back.
import { errorFields, type Logger } from '../log';
import { localeOf, type LocaleSettings } from '../i18n';
import type { ProactiveSettings } from '../config';
import { FINAL_STATES, queueBodySchema, type Delivery, type Outbox, type QueueBody } from './outbox';
import type { QueueMessage, WorkQueue } from './queue';
import type { ReferenceStore, StoredReference } from './references';
import { backoffMs, type Attempt, type ProactiveSender } from './sender';

// A job message that keeps failing is set aside after this many tries (it is logged, not retried forever).
const MAX_JOB_DEQUEUES = 5;
/** A wait this short (a busy budget, a lost lease, a quick retry) still counts as work under way for `settle`. */
const SHORT_WAIT_SECONDS = 5;

export class OutboxWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  /** A receive is under way: its messages are out of the queue but not yet in flight. */
  private receiving = false;
  /** When the last message this worker put back for a short wait (a busy budget, a lost lease) shows again. */
  private shortWaitUntil = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly queue: WorkQueue,
    private readonly sender: ProactiveSender,
    private readonly references: ReferenceStore,
    private readonly log: Logger,
    private readonly settings: ProactiveSettings,
    private readonly locale: LocaleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  private sweeping: Promise<void> | undefined;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    this.sweeping = this.sweepLoop();
  }

  /** Stops taking new work and waits for what is under way; unfinished messages come back to the queue. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.wakeSweeper?.();
    await this.loop;
    await this.sweeping;
    await Promise.all([...this.inFlight]);
  }

  /**
   * Sweeps at start (a crash between a row and its queue message), every OUTBOX_SWEEP_SECONDS, and every 2 s
   * while this process knows of rows it could not queue, until the queue takes them.
   */
  private async sweepLoop(): Promise<void> {
    let last = 0;
    while (this.running) {
      const every = this.outbox.held > 0 ? 2_000 : this.settings.sweepSeconds * 1000;
      if (this.now() - last >= every) {
        last = this.now();
        try {
          const { requeued, left } = await this.outbox.sweep();
          if (requeued || left) this.log.info({ event: 'outbox.swept', requeued, left }, 'outbox rows put on the queue');
        } catch (err) {
          this.log.warn({ event: 'outbox.sweepFailed', err: errorFields(err) }, 'outbox sweep failed; tried again later');
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 500);
        this.wakeSweeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private wakeSweeper: (() => void) | undefined;

  private async run(): Promise<void> {
    let idleMs = 50;
    while (this.running) {
      const room = this.settings.concurrency - this.inFlight.size;
      if (room <= 0) {
        await Promise.race(this.inFlight);
        continue;
      }
      let messages: QueueMessage[] = [];
      this.receiving = true;
      try {
        messages = await this.queue.receive(room, this.settings.visibilitySeconds);
      } catch (err) {
        this.log.warn({ event: 'outbox.receiveFailed', err: errorFields(err) }, 'work queue not reachable');
        idleMs = 2000;
      }
      for (const message of messages) {
        const work: Promise<void> = this.handle(message)
          .catch((err: unknown) => this.log.error({ event: 'outbox.messageFailed', err: errorFields(err) }, 'outbox message failed; it comes back later'))
          .finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      }
      this.receiving = false;
      if (messages.length) {
        idleMs = 50;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      idleMs = Math.min(idleMs * 2, 1000);
    }
  }

  /**
   * Waits until nothing is under way and no message is waiting on the queue (tests, shutdown): true when that
   * came, false when the time ran out first.
   */
  async settle(timeoutMs = 15_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // Storage that does not answer has nothing more for us either.
      const waiting = await this.queue.hasVisible().catch(() => false);
      const shortWait = Date.now() < this.shortWaitUntil;
      if (this.inFlight.size === 0 && !this.receiving && !waiting && !shortWait) return true;
      this.wake?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  /**
   * Hides a message for a while (the queue brings it back then). A short wait is remembered, so `settle`
   * does not mistake a message waiting a second for the budget for work that is done.
   */
  private putBack(message: QueueMessage, seconds: number): Promise<QueueMessage> {
    if (seconds <= SHORT_WAIT_SECONDS) this.shortWaitUntil = Math.max(this.shortWaitUntil, Date.now() + Math.ceil(seconds) * 1000 + 500);
    return this.queue.hide(message, seconds);
  }

  /** Handles one queue message (exposed for tests that drive the worker step by step). */
  async handle(message: QueueMessage): Promise<void> {
    let body: QueueBody;
    try {
      body = queueBodySchema.parse(JSON.parse(message.body));
    } catch {
      this.log.error({ event: 'outbox.badMessage' }, 'unreadable queue message removed');
      return this.queue.delete(message);
    }
    if (body.t === 'job') return this.runJob(message, body);
    return this.send(message, body);
  }

  private async runJob(message: QueueMessage, body: Extract<QueueBody, { t: 'job' }>): Promise<void> {
    const handler = this.outbox.jobs.get(body.name);
    if (!handler || message.dequeueCount > MAX_JOB_DEQUEUES) {
      this.log.error({ event: 'outbox.jobDropped', job: body.name, dequeueCount: message.dequeueCount }, 'job set aside');
      return this.queue.delete(message);
    }
    // Keep the message hidden while the job runs; if this instance dies, it comes back for another.
    let current = message;
    const keepHidden = setInterval(() => {
      this.queue
        .hide(current, this.settings.visibilitySeconds)
        .then((m) => (current = m))
        .catch(() => undefined);
    }, (this.settings.visibilitySeconds * 1000) / 3);
    try {
      await handler(body.data);
    } finally {
      clearInterval(keepHidden);
    }
    await this.queue.delete(current);
    this.log.info({ event: 'outbox.jobDone', job: body.name }, 'job done');
  }

  private async send(message: QueueMessage, body: Extract<QueueBody, { t: 'send' }>): Promise<void> {
    let delivery = await this.outbox.rowFor(body);
    const now = this.now();
    if (FINAL_STATES.has(delivery.state)) return this.queue.delete(message);
    // Someone holds it (or held it and died: their lease runs out, then it is ours).
    if (delivery.state === 'sending' && delivery.leaseUntil > now) return void (await this.putBack(message, (delivery.leaseUntil - now) / 1000 + 1));
    if (delivery.nextAttemptAt > now) return void (await this.putBack(message, (delivery.nextAttemptAt - now) / 1000));

    const renderer = this.outbox.renderers.get(delivery.kind);
    if (!renderer) {
      await this.finish(message, delivery, { state: 'failed', lastError: `no renderer for ${delivery.kind}` });
      return;
    }
    const stored = await this.storedReference(delivery);
    const locale = localeOf(stored?.locale, this.locale);
    const activity = await renderer({ data: delivery.data, recipient: delivery.recipient, locale });
    if (!activity) return this.finish(message, delivery, { state: 'skipped' });
    if (!stored && 'conversationId' in delivery.recipient) return this.finish(message, delivery, { state: 'unreachable', lastError: 'no such conversation' });

    // The lease is taken just before the HTTP call, after the throttle: a long wait never outlives it.
    // A row still "sending" here lost its worker mid-call: Teams may have it already, so the report says so.
    const maybeDouble = delivery.maybeDouble || delivery.state === 'sending';
    const lease = async (): Promise<boolean> => {
      const taken = await this.outbox.change(delivery, {
        state: 'sending',
        attempts: delivery.attempts + 1,
        leaseUntil: this.now() + this.settings.visibilitySeconds * 1000,
        queued: true,
        maybeDouble,
      });
      if (!taken) return false;
      delivery = taken;
      return true;
    };

    let reference = stored?.reference;
    if (!reference) {
      // Never wrote to the bot, but has the app: open a 1:1 chat first.
      const person = delivery.recipient as { tenantId: string; aadObjectId: string };
      if (!(await lease())) return void (await this.putBack(message, 1));
      const created = await this.sender.createPersonalChat(person.tenantId, person.aadObjectId, this.settings.teamsServiceUrl);
      if (!('reference' in created)) return this.after(message, delivery, created);
      reference = created.reference;
      const attempt = await this.sender.attempt(reference, activity, undefined, { kind: delivery.kind, locale });
      return this.after(message, delivery, attempt);
    }
    const attempt = await this.sender.attempt(reference, activity, lease, { kind: delivery.kind, locale });
    if (attempt.outcome === 'skipped') return void (await this.putBack(message, 1));
    return this.after(message, delivery, attempt);
  }

  private async storedReference(delivery: Delivery): Promise<StoredReference | undefined> {
    const r = delivery.recipient;
    return 'conversationId' in r ? this.references.conversation(r.conversationId) : this.references.personalChat(r.tenantId, r.aadObjectId);
  }

  private async after(message: QueueMessage, delivery: Delivery, attempt: Attempt): Promise<void> {
    switch (attempt.outcome) {
      case 'sent':
        return this.finish(message, delivery, {
          state: 'sent',
          sentAt: new Date(this.now()).toISOString(),
          conversationId: attempt.conversationId,
          activityId: attempt.activityId ?? '',
          lastError: '',
        });
      case 'gone':
        if ('conversationId' in delivery.recipient) await this.references.remove(delivery.recipient.conversationId);
        else {
          const chat = await this.references.personalChat(delivery.recipient.tenantId, delivery.recipient.aadObjectId);
          if (chat?.reference.conversation?.id) await this.references.remove(chat.reference.conversation.id);
        }
        this.log.warn({ event: 'outbox.unreachable', status: attempt.status }, 'recipient unreachable; reference removed');
        return this.finish(message, delivery, { state: 'unreachable', lastError: attempt.error });
      case 'failed':
        return this.finish(message, delivery, { state: 'failed', lastError: attempt.error });
      case 'retry': {
        if (delivery.attempts >= this.settings.maxAttempts) {
          this.log.warn({ event: 'outbox.gaveUp', status: attempt.status, attempts: delivery.attempts }, 'proactive send failed after retries');
          return this.finish(message, delivery, { state: 'failed', lastError: attempt.error });
        }
        const wait = backoffMs(delivery.attempts, attempt.retryAfterMs);
        const changed = await this.outbox.change(delivery, {
          state: 'pending',
          leaseUntil: 0,
          nextAttemptAt: this.now() + wait,
          lastError: attempt.error,
          maybeDouble: delivery.maybeDouble || attempt.uncertain,
        });
        // The queue brings it back after the wait, on whichever instance is free then.
        if (changed) await this.putBack(message, wait / 1000);
        return;
      }
      case 'skipped':
        return;
    }
  }

  private async finish(message: QueueMessage, delivery: Delivery, changes: Partial<Delivery>): Promise<void> {
    const changed = await this.outbox.change(delivery, { ...changes, leaseUntil: 0 });
    if (!changed) {
      // Someone else changed it meanwhile (a lease that ran out): their word counts; this message is done.
      this.log.warn({ event: 'outbox.lostLease', state: changes.state }, 'delivery changed by another worker');
    }
    await this.queue.delete(message);
  }
}
