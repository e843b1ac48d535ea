/**
 * Subunit v2 (the binary stream Tempest/stestr write): a reader that folds packets
 * into one result per test, and a writer for our own runs.
 */
import { crc32 } from 'node:zlib';
import type { TestResult, TestStatus } from './model.js';
import { splitTestId } from '../guideline/ids.js';

const SIGNATURE = 0xb3;
const FLAG_TEST_ID = 0x0800;
const FLAG_ROUTE_CODE = 0x0400;
const FLAG_TIMESTAMP = 0x0200;
const FLAG_RUNNABLE = 0x0100;
const FLAG_TAGS = 0x0080;
const FLAG_FILE_CONTENT = 0x0040;
const FLAG_MIME_TYPE = 0x0020;
const FLAG_EOF = 0x0010;

const STATUS_NAMES = [undefined, 'exists', 'inprogress', 'success', 'uxsuccess', 'skip', 'fail', 'xfail'] as const;
type SubunitStatus = Exclude<(typeof STATUS_NAMES)[number], undefined>;

export class SubunitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubunitError';
  }
}

export interface SubunitPacket {
  offset: number;
  testId?: string;
  status?: SubunitStatus;
  timestamp?: number;
  tags?: string[];
  fileName?: string;
  fileBytes?: Buffer;
  mimeType?: string;
  eof: boolean;
}

class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}
  need(n: number): void {
    if (this.pos + n > this.end) throw new SubunitError('packet field runs past the end of the packet');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  number(): number {
    const first = this.u8();
    const extra = first >> 6;
    let v = first & 0x3f;
    for (let i = 0; i < extra; i++) v = (v << 8) | this.u8();
    return v >>> 0;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  utf8(): string {
    return this.bytes(this.number()).toString('utf8');
  }
}

/** Decodes every packet; bytes outside packets (interleaved stdout) are skipped. */
export function* readPackets(buf: Buffer, file = 'subunit stream'): Generator<SubunitPacket> {
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== SIGNATURE) {
      pos++;
      continue;
    }
    const start = pos;
    try {
      if (start + 4 > buf.length) throw new SubunitError('truncated packet header');
      const flags = buf.readUInt16BE(start + 1);
      if (flags >> 12 !== 2) throw new SubunitError(`unsupported subunit version ${flags >> 12}`);
      const lenCursor = new Cursor(buf, start + 3, buf.length);
      const length = lenCursor.number();
      const end = start + length;
      if (length < 8 || end > buf.length) throw new SubunitError(`truncated packet (declares ${length} bytes)`);
      const expected = buf.readUInt32BE(end - 4);
      if ((crc32(buf.subarray(start, end - 4)) >>> 0) !== expected) throw new SubunitError('CRC mismatch');
      const c = new Cursor(buf, lenCursor.pos, end - 4);
      const packet: SubunitPacket = { offset: start, eof: (flags & FLAG_EOF) !== 0 };
      if (flags & FLAG_TIMESTAMP) {
        const secs = c.u32();
        const nanos = c.number();
        packet.timestamp = secs * 1000 + nanos / 1e6;
      }
      if (flags & FLAG_TEST_ID) packet.testId = c.utf8();
      if (flags & FLAG_TAGS) {
        const n = c.number();
        packet.tags = Array.from({ length: n }, () => c.utf8());
      }
      if (flags & FLAG_MIME_TYPE) packet.mimeType = c.utf8();
      if (flags & FLAG_FILE_CONTENT) {
        packet.fileName = c.utf8();
        packet.fileBytes = c.bytes(c.number());
      }
      if (flags & FLAG_ROUTE_CODE) c.utf8();
      const status = STATUS_NAMES[flags & 0x7];
      if (status) packet.status = status;
      void FLAG_RUNNABLE;
      pos = end;
      yield packet;
    } catch (e) {
      if (e instanceof SubunitError) throw new SubunitError(`${file}: packet at byte ${start}: ${e.message}`);
      throw e;
    }
  }
}

function toStatus(s: SubunitStatus): TestStatus | undefined {
  switch (s) {
    case 'success':
      return 'pass';
    case 'skip':
      return 'skip';
    case 'fail':
    case 'uxsuccess':
    case 'xfail':
      return 'fail';
    default:
      return undefined;
  }
}

/** Python's unittest reports fixture failures under ids like `setUpClass (pkg.Class)`; they name no test. */
function isFixtureId(id: string): boolean {
  return /^(setUpClass|tearDownClass|setUpModule|tearDownModule) \(/.test(id);
}

/** Reads a subunit v2 stream into one result per test id (the last final status wins). */
export function parseSubunit(buf: Buffer, file?: string): TestResult[] {
  const byId = new Map<string, { status?: TestStatus; start?: number; end?: number; reason?: string }>();
  for (const p of readPackets(buf, file)) {
    if (!p.testId || isFixtureId(p.testId)) continue;
    let entry = byId.get(p.testId);
    if (!entry) byId.set(p.testId, (entry = {}));
    if (p.status === 'inprogress' && p.timestamp !== undefined) entry.start = p.timestamp;
    if (p.fileName === 'reason' && p.fileBytes) entry.reason = p.fileBytes.toString('utf8');
    const st = p.status ? toStatus(p.status) : undefined;
    if (st) {
      entry.status = st;
      if (p.timestamp !== undefined) entry.end = p.timestamp;
      if (p.status === 'xfail' || p.status === 'uxsuccess') entry.reason ??= `subunit status ${p.status}`;
    }
  }
  const out: TestResult[] = [];
  for (const [id, e] of byId) {
    if (!e.status) continue; // enumerated or still in progress: no outcome
    const { name, uuid } = splitTestId(id);
    const r: TestResult = { name, status: e.status };
    if (uuid) r.uuid = uuid;
    if (e.start !== undefined && e.end !== undefined) r.durationMs = Math.max(0, Math.round(e.end - e.start));
    if (e.reason) r.reason = e.reason;
    out.push(r);
  }
  return out;
}

function encodeNumber(v: number): Buffer {
  if (v < 0x40) return Buffer.from([v]);
  if (v < 0x4000) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v | 0x4000);
    return b;
  }
  if (v < 0x400000) {
    const b = Buffer.alloc(3);
    b.writeUInt8(((v >> 16) & 0x3f) | 0x80, 0);
    b.writeUInt16BE(v & 0xffff, 1);
    return b;
  }
  if (v < 0x40000000) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE((v | 0xc0000000) >>> 0);
    return b;
  }
  throw new RangeError(`subunit number too large: ${v}`);
}

function utf8(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([encodeNumber(b.length), b]);
}

export interface PacketSpec {
  testId?: string;
  status?: SubunitStatus;
  timestamp?: Date;
  tags?: string[];
  fileName?: string;
  fileBytes?: Buffer;
  mimeType?: string;
  eof?: boolean;
}

/** Encodes one packet as python-subunit's StreamResultToBytes does. */
export function encodePacket(p: PacketSpec): Buffer {
  let flags = 0x2000 | FLAG_RUNNABLE;
  const parts: Buffer[] = [];
  if (p.timestamp) {
    flags |= FLAG_TIMESTAMP;
    const ms = p.timestamp.getTime();
    const ts = Buffer.alloc(4);
    ts.writeUInt32BE(Math.floor(ms / 1000));
    parts.push(ts, encodeNumber(Math.round((ms % 1000) * 1e6)));
  }
  if (p.testId !== undefined) {
    flags |= FLAG_TEST_ID;
    parts.push(utf8(p.testId));
  }
  if (p.tags?.length) {
    flags |= FLAG_TAGS;
    parts.push(encodeNumber(p.tags.length), ...p.tags.map(utf8));
  }
  if (p.mimeType) {
    flags |= FLAG_MIME_TYPE;
    parts.push(utf8(p.mimeType));
  }
  if (p.fileName !== undefined) {
    flags |= FLAG_FILE_CONTENT;
    const bytes = p.fileBytes ?? Buffer.alloc(0);
    parts.push(utf8(p.fileName), encodeNumber(bytes.length), bytes);
  }
  if (p.eof) flags |= FLAG_EOF;
  if (p.status) flags |= STATUS_NAMES.indexOf(p.status);
  const body = Buffer.concat(parts);
  const base = 3 + body.length + 4;
  const lenLen = base + 1 < 0x40 ? 1 : base + 2 < 0x4000 ? 2 : base + 3 < 0x400000 ? 3 : 4;
  const head = Buffer.alloc(3);
  head[0] = SIGNATURE;
  head.writeUInt16BE(flags, 1);
  const content = Buffer.concat([head, encodeNumber(base + lenLen), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(content) >>> 0);
  return Buffer.concat([content, crc]);
}

const STATUS_OUT: Record<TestStatus, SubunitStatus> = {
  pass: 'success',
  fail: 'fail',
  error: 'fail',
  skip: 'skip',
  'not-implemented': 'skip',
};

/**
 * The packets of one finished test, as Tempest writes them: `inprogress` then the
 * final status; the test id is `name[id-<uuid>]`; skips and failures carry a `reason`.
 */
export function encodeResult(r: TestResult, startedAt: Date, tags: string[] = ['worker-0']): Buffer {
  const id = r.uuid ? `${r.name}[id-${r.uuid}]` : r.name;
  const end = new Date(startedAt.getTime() + (r.durationMs ?? 0));
  const packets = [encodePacket({ testId: id, status: 'inprogress', timestamp: startedAt, tags })];
  const status = STATUS_OUT[r.status];
  if (r.reason && r.status !== 'pass') {
    packets.push(
      encodePacket({ testId: id, timestamp: end, mimeType: 'text/plain;charset=utf8', fileName: 'reason', fileBytes: Buffer.from(r.reason, 'utf8'), tags }),
    );
  }
  packets.push(encodePacket({ testId: id, status, timestamp: end, tags, eof: false }));
  return Buffer.concat(packets);
}
