// Runs before every test file: a message filled without one of its parameters fails the test, so no person
// ever sees a raw "{max}" (production leaves the gap empty instead).
import { failOnMissingPlaceholders } from '../../src/i18n';

failOnMissingPlaceholders();
