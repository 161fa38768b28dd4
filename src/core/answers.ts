// Error answers: a sentence for what a person caused (bad input, not allowed, gone), an apology with a code
// for real failures (the same code is in the log), and an answer for invokes nobody handles.
import { randomBytes } from 'node:crypto';
import { INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { t, type Locale } from '../i18n';
import { errorFields, type Logger } from '../log';
import { isStorageUnavailable } from '../storage/tables';
import { recordTurnFailure } from '../telemetry';
import { answer, knownErrorMessage } from '../turn';

/** Runs route work; an error a person caused is answered with its sentence, anything else goes up. */
export async function answerKnownErrors(context: TurnContext, locale: Locale, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const message = knownErrorMessage(err, locale);
    if (message === undefined) throw err;
    await answer(context, message);
  }
}

/** Runs a whole turn; a failure gets a short apology with a code that the log has too. */
export async function withApology(context: TurnContext, locale: () => Locale, log: Logger, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const code = randomBytes(3).toString('hex').toUpperCase();
    const storageDown = isStorageUnavailable(err);
    const fields = errorFields(err);
    log.error({ event: storageDown ? 'turn.storageUnavailable' : 'turn.failed', code, type: context.activity.type, err: fields }, 'turn failed');
    // The same code on the trace, so one query in Application Insights finds the request behind an apology.
    recordTurnFailure(code, fields);
    try {
      await answer(context, t(locale(), storageDown ? 'error.unavailable' : 'error.apology', { code }));
    } catch (sendErr) {
      log.error({ event: 'turn.apologyFailed', code, err: errorFields(sendErr) }, 'could not send the apology');
    }
  }
}

/** An invoke no route answered (an old or forged button): a proper answer instead of HTTP 501. */
export async function answerUnhandledInvoke(context: TurnContext, locale: Locale): Promise<void> {
  if (context.activity.type !== 'invoke' || context.turnState.get(INVOKE_RESPONSE_KEY)) return;
  await answer(context, t(locale, 'error.unknownButton'));
}
