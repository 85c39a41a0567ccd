// Assertions the Node tests of the public API share.
import assert from 'node:assert/strict';

import { LitecnnError } from 'litecnn';

// Asserts that promise rejects with a LitecnnError of `code` whose message matches every pattern.
export async function rejectsWith(promise, code, ...patterns) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof LitecnnError, `expected a LitecnnError, got ${error}`);
    assert.equal(error.code, code, error.message);
    for (const p of patterns) assert.match(error.message, p);
    return true;
  });
}
