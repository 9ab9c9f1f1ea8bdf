// A minimal ISO-BMFF reader for checking fragments: the box tree, tfdt, trun samples, tfxd.
'use strict';

function boxes(buf, start = 0, end = buf.length) {
  const out = [];
  for (let pos = start; pos + 8 <= end;) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    let header = 8;
    if (size === 1) { size = Number(buf.readBigUInt64BE(pos + 8)); header = 16; }
    if (size === 0) size = end - pos;
    if (size < header || pos + size > end) throw new Error(`bad ${type} box at ${pos}`);
    out.push({ type, start: pos, payload: pos + header, end: pos + size });
    pos += size;
  }
  return out;
}

const child = (buf, box, type) => boxes(buf, box.payload, box.end).find((b) => b.type === type);

// { sequence, baseDecodeTime, samples: [{duration, size, flags, cto}], dataOffset, mdatSize, tfxd }
function parseFragment(buf) {
  const top = boxes(buf);
  const moof = top.find((b) => b.type === 'moof');
  const mdat = top.find((b) => b.type === 'mdat');
  const traf = child(buf, moof, 'traf');
  const tfdt = child(buf, traf, 'tfdt');
  const trun = child(buf, traf, 'trun');
  const out = { sequence: buf.readUInt32BE(child(buf, moof, 'mfhd').payload + 4), samples: [] };
  const tv = buf[tfdt.payload];
  out.baseDecodeTime = tv === 1 ? Number(buf.readBigUInt64BE(tfdt.payload + 4)) : buf.readUInt32BE(tfdt.payload + 4);
  const version = buf[trun.payload];
  const flags = buf.readUIntBE(trun.payload + 1, 3);
  const count = buf.readUInt32BE(trun.payload + 4);
  let p = trun.payload + 8;
  if (flags & 1) { out.dataOffset = buf.readInt32BE(p); p += 4; }
  if (flags & 4) p += 4;
  for (let i = 0; i < count; ++i) {
    const s = {};
    if (flags & 0x100) { s.duration = buf.readUInt32BE(p); p += 4; }
    if (flags & 0x200) { s.size = buf.readUInt32BE(p); p += 4; }
    if (flags & 0x400) { s.flags = buf.readUInt32BE(p); p += 4; }
    if (flags & 0x800) { s.cto = version === 1 ? buf.readInt32BE(p) : buf.readUInt32BE(p); p += 4; }
    out.samples.push(s);
  }
  out.trunVersion = version;
  out.moofSize = moof.end - moof.start;
  out.mdatSize = mdat.end - mdat.start;
  const uuid = boxes(buf, traf.payload, traf.end).find((b) => b.type === 'uuid');
  if (uuid) out.tfxd = { time: Number(buf.readBigUInt64BE(uuid.payload + 20)), duration: Number(buf.readBigUInt64BE(uuid.payload + 28)) };
  return out;
}

function initTimescale(buf) {
  const moov = boxes(buf).find((b) => b.type === 'moov');
  const mdhd = child(buf, child(buf, child(buf, moov, 'trak'), 'mdia'), 'mdhd');
  return buf.readUInt32BE(mdhd.payload + (buf[mdhd.payload] === 1 ? 20 : 12));
}

module.exports = { boxes, parseFragment, initTimescale };
