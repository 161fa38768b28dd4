// Runs before every test file: a message filled without one of its parameters fails the test, so no person
// ever sees a raw "{max}" (production leaves the gap empty instead); and a change recorded in the logboek
// without a sentence for its action fails the test too (production shows the action's code instead).
import { failOnActionsWithoutSentence } from '../../src/core/audit';
import { failOnMissingPlaceholders } from '../../src/i18n';

failOnMissingPlaceholders();
failOnActionsWithoutSentence();
