import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from './outbox.repository.ts';

describe('what a sent message keeps', () => {
  it('keeps no one-time token or secret key once sent', () => {
    const text = 'Reset: https://safe.example.org/recover/reset?token=abc_DEF-123\nThread: https://safe.example.org/watch/threads/x?key=SeCrEt&x=1';
    const html = '<a href="https://safe.example.org/invitation?token=ZZZ">Accept</a> <a href="/watch/unsubscribe?scheme=1&amp;token=T0K">stop</a>';
    assert.equal(
      redactSecrets(text),
      'Reset: https://safe.example.org/recover/reset?token=[removed-after-sending]\nThread: https://safe.example.org/watch/threads/x?key=[removed-after-sending]&x=1',
    );
    assert.ok(!redactSecrets(html).includes('ZZZ') && !redactSecrets(html).includes('T0K'));
  });
});
