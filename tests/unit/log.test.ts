import { Writable } from 'node:stream';
import pino from 'pino';
import { errorFields } from '../../src/log';

it('logs an SDK error without the request it carries (message text, auth headers)', () => {
  const err = Object.assign(new Error('Conflict'), {
    statusCode: 409,
    code: 'EntityAlreadyExists',
    request: { headers: { authorization: 'SharedKey devstoreaccount1:abc' }, body: '{"text":"vertrouwelijk dilemma"}' },
  });
  let line = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      line += String(chunk);
      done();
    },
  });
  pino({ level: 'info' }, sink).error({ err: errorFields(err) }, 'failed');
  expect(line).toContain('EntityAlreadyExists');
  expect(line).toContain('409');
  expect(line).not.toContain('vertrouwelijk');
  expect(line).not.toContain('SharedKey');
});
