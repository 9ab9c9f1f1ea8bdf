// `twinorigin encode` as a user runs it: a generated clip, a MES JSON preset file, and the
// refusals, checked with ffprobe.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { BIN } = require('./lib/server');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-encode-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

function encode(...args) {
  return spawnSync(BIN, ['encode', ...args], { encoding: 'utf8', timeout: 120000 });
}

test('a MES JSON preset file gives its ladder, one track per file', () => {
  const clip = path.join(dir, 'mezzanine.mp4');
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=4',
    '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', clip]);
  const preset = path.join(dir, 'preset.json');
  fs.writeFileSync(preset, JSON.stringify({
    Version: 1.0,
    Codecs: [
      { KeyFrameInterval: '00:00:02', Type: 'H264Video', H264Layers: [
        { Bitrate: 400, Width: 640, Height: 360, Type: 'H264Layer' },
        { Bitrate: 200, Width: 320, Height: 180, Type: 'H264Layer' }] },
      { Profile: 'AACLC', Channels: 2, SamplingRate: 48000, Bitrate: 96, Type: 'AACAudio' }],
    Outputs: [{ FileName: '{Basename}_{Width}x{Height}_{VideoBitrate}.mp4', Format: { Type: 'MP4Format' } }],
  }));
  const out = path.join(dir, 'out');
  const run = encode(clip, '--preset', preset, '--out', out, '--x264-preset', 'veryfast');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /100%/);
  assert.deepEqual(fs.readdirSync(out).sort(),
    ['mezzanine.ism', 'mezzanine.ismc', 'mezzanine_320x180_200.mp4', 'mezzanine_640x360_400.mp4', 'mezzanine_AAC_96.mp4']);
  const streams = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json',
    path.join(out, 'mezzanine_640x360_400.mp4')]).toString()).streams;
  assert.equal(streams.length, 1);
  assert.equal(streams[0].codec_name, 'h264');
  assert.equal(streams[0].width, 640);
});

test('unknown presets and unreadable inputs are refused with a reason and exit status 1', () => {
  const unknown = encode('/nonexistent.mp4', '--preset', 'H264 Multiple Bitrate 8K', '--out', path.join(dir, 'x'));
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown preset 'H264 Multiple Bitrate 8K' \(known: H264 Multiple Bitrate 720p/);
  const garbage = path.join(dir, 'garbage.mp4');
  fs.writeFileSync(garbage, 'not a video');
  const bad = encode(garbage, '--out', path.join(dir, 'y'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /cannot read the input/);
});
