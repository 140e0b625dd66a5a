/**
 * Classic pcap files for exact-accounting tests and benchmark input: write
 * known packets (Ethernet / IPv4 / UDP with a numbered payload) and read
 * them back.
 */
import fs from 'node:fs';

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;

/** A 64-byte UDP packet whose payload carries `tag` and `seq`, distinct per packet. */
export function udpPacket(tag: number, seq: number, srcIp = 0x0a000001 + (seq % 251)): Buffer {
  const p = Buffer.alloc(64);
  p.write('020000000001', 0, 'hex'); // dst MAC
  p.write('020000000002', 6, 'hex'); // src MAC
  p.writeUInt16BE(0x0800, 12);
  p[14] = 0x45;
  p.writeUInt16BE(64 - 14, 16); // IP total length
  p[22] = 64; // TTL
  p[23] = 17; // UDP
  p.writeUInt32BE(srcIp, 26);
  p.writeUInt32BE(0x0a000101, 30);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += p.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  p.writeUInt16BE(~sum & 0xffff, 24);
  p.writeUInt16BE(1024 + (seq % 1000), 34);
  p.writeUInt16BE(9, 36);
  p.writeUInt16BE(64 - 34, 38);
  p.writeUInt32BE(tag, 42);
  p.writeUInt32BE(seq, 46);
  return p;
}

export function writePcap(file: string, packets: Buffer[]): void {
  const head = Buffer.alloc(GLOBAL_HEADER);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20); // Ethernet
  const parts: Buffer[] = [head];
  packets.forEach((p, i) => {
    const r = Buffer.alloc(RECORD_HEADER);
    r.writeUInt32LE(1_700_000_000 + Math.floor(i / 1000), 0);
    r.writeUInt32LE((i % 1000) * 1000, 4);
    r.writeUInt32LE(p.length, 8);
    r.writeUInt32LE(p.length, 12);
    parts.push(r, p);
  });
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** Packets of a pcap file (either byte order, micro- or nanosecond). */
export function readPcap(file: string): Buffer[] {
  const b = fs.readFileSync(file);
  if (b.length < GLOBAL_HEADER) return [];
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const out: Buffer[] = [];
  for (let o = GLOBAL_HEADER; o + RECORD_HEADER <= b.length;) {
    const len = u32(o + 8);
    out.push(b.subarray(o + RECORD_HEADER, o + RECORD_HEADER + len));
    o += RECORD_HEADER + len;
  }
  return out;
}

/** The (tag, seq) identity a test packet carries. */
export function packetId(p: Buffer): string {
  return `${p.readUInt32BE(42)}:${p.readUInt32BE(46)}`;
}
