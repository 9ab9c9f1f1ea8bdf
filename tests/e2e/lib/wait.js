// Waiting in tests: for a condition that a server or a page reaches in its own time.
'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Calls fn every 200 ms until it returns something truthy (returned); throws naming `what`
// once timeoutMs have passed.
async function waitFor(what, fn, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

module.exports = { sleep, waitFor };
