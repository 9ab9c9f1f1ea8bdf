// Runs the twinorigin client commands (replicate, verify) as child processes, with a data
// center profile file written for two TwinServers.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { BIN } = require('./server');

// dcs: { A: { server, media: [account, key], storage: [account, key] }, … }
function writeProfiles(file, dcs) {
  let text = '';
  for (const [name, dc] of Object.entries(dcs)) {
    text += `[datacenters.${name}]\n` +
      `media_api = "${dc.server.mediaUrl}/api/"\n` +
      `media_account = "${dc.media[0]}"\nmedia_key = "${dc.media[1]}"\n` +
      `storage_url = "${dc.server.url}/${dc.storage[0]}"\n` +
      `storage_account = "${dc.storage[0]}"\nstorage_key = "${dc.storage[1]}"\n\n`;
  }
  fs.writeFileSync(file, text);
}

// Starts `twinorigin <args>`; returns { proc, done } where done resolves with
// { code, signal, stdout, stderr } and proc.output() gives what it printed so far.
function start(args, { env } = {}) {
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => { stdout += d; });
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.output = () => stdout + stderr;
  const done = new Promise((resolve) => {
    proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { proc, done };
}

async function run(args, options) {
  return start(args, options).done;
}

// Resolves once the process printed text matching re (or rejects when it exits first).
function waitForOutput(proc, re, timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (re.test(proc.output())) { clearInterval(timer); resolve(); }
      else if (proc.exitCode !== null || proc.signalCode) { clearInterval(timer); reject(new Error(`exited first: ${proc.output()}`)); }
      else if (Date.now() - started > timeoutMs) { clearInterval(timer); reject(new Error(`timed out: ${proc.output()}`)); }
    }, 5);
  });
}

module.exports = { writeProfiles, start, run, waitForOutput };
