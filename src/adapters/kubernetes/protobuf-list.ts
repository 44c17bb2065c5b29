// A list answer in the API server's protobuf encoding (`application/vnd.kubernetes.protobuf`,
// what client-go asks for): the envelope (magic `k8s\0`, runtime.Unknown whose `raw` is the List),
// the List's metadata (resourceVersion, continue) and its items, each handed to an item reader
// that picks the few fields it keeps and skips the rest by length (managedFields, volumes,
// tolerations are never decoded). Every string the reader keeps is set only when non-empty, so
// an item looks as its JSON form does with `omitempty` (the mapping is the JSON one).
// About a third fewer bytes than JSON, and no 40 MB string nor full objects for 10,000 pods.

/** The media type asked for first; JSON is accepted too (a server or proxy that does not speak protobuf). */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export class ProtobufReader {
  position: number;

  constructor(
    readonly buffer: Buffer,
    start = 0,
    public end = buffer.length,
  ) {
    this.position = start;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  /** A varint as a number (exact up to 2^53; int64 times and counts stay far below). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.position >= this.end) throw new Error('a protobuf varint runs past its message');
      const byte = this.buffer[this.position++] as number;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
  }

  /** An int32 (a negative one is written as a 10-byte varint of its 64-bit two's complement: its low 32 bits are the value). */
  int32(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.position >= this.end) throw new Error('a protobuf varint runs past its message');
      const byte = this.buffer[this.position++] as number;
      if (shift < 32) value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value | 0;
    }
  }

  /** The next field: its number (0 at the end) and sets `wire`. */
  field(): number {
    if (this.position >= this.end) return 0;
    const tag = this.varint();
    this.wire = tag & 7;
    return Math.floor(tag / 8);
  }

  wire = 0;

  /** The bounds of a length-delimited field's content (the reader moves past it). */
  bytes(): { start: number; end: number } {
    const length = this.varint();
    const start = this.position;
    const end = start + length;
    if (end > this.end) throw new Error('a protobuf field runs past its message');
    this.position = end;
    return { start, end };
  }

  /**
   * Into a nested message, read from here until its end; returns the outer message's end, for
   * `leave`. One reader for every message: no object per nested message (10,000 pods have some
   * 300,000 of them).
   */
  enter(): number {
    const length = this.varint();
    const end = this.position + length;
    if (end > this.end) throw new Error('a protobuf field runs past its message');
    const outer = this.end;
    this.end = end;
    return outer;
  }

  /** Out of the message entered (past whatever of it was not read). */
  leave(outer: number): void {
    this.position = this.end;
    this.end = outer;
  }

  string(): string {
    const { start, end } = this.bytes();
    return start === end ? '' : this.buffer.toString('utf8', start, end);
  }

  skip(): void {
    switch (this.wire) {
      case WIRE.varint:
        this.varint();
        return;
      case WIRE.fixed64:
        this.position += 8;
        return;
      case WIRE.bytes:
        this.bytes();
        return;
      case WIRE.fixed32:
        this.position += 4;
        return;
      default:
        throw new Error(`protobuf wire type ${this.wire} is not read`);
    }
  }
}

/** A nested message read by `read` (which reads the reader until its end). */
export function within<Value>(reader: ProtobufReader, read: (reader: ProtobufReader) => Value): Value {
  const outer = reader.enter();
  const value = read(reader);
  reader.leave(outer);
  return value;
}

/** A string field into `into[key]` when non-empty (JSON's omitempty). */
export function setString<Target extends object>(into: Target, key: keyof Target, reader: ProtobufReader): void {
  const text = reader.string();
  if (text !== '') (into as Record<PropertyKey, unknown>)[key] = text;
}

/**
 * A metav1.Time as epoch milliseconds (seconds only: the server writes no nanoseconds, as its JSON
 * has none); undefined for the zero time (an empty message).
 */
export function timeMessage(reader: ProtobufReader): number | undefined {
  const outer = reader.enter();
  let seconds: number | undefined;
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1 && reader.wire === WIRE.varint) seconds = reader.varint();
    else reader.skip();
  }
  reader.leave(outer);
  return seconds === undefined ? undefined : seconds * 1000;
}

export interface ProtobufListMeta {
  resourceVersion?: string;
  continue?: string;
}

export interface ProtobufList<Item> {
  metadata: ProtobufListMeta;
  items: Item[];
}

export function isProtobufAnswer(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim() === PROTOBUF_MEDIA_TYPE;
}

/**
 * The List inside the envelope: its reader. `head`: the body's first bytes only (the List is read
 * as far as they go).
 */
function listReader(body: Buffer, head = false): ProtobufReader {
  if (body.length < 4 || MAGIC.some((byte, index) => body[index] !== byte)) throw new Error('the protobuf answer has no k8s envelope');
  const envelope = new ProtobufReader(body, 4);
  let raw: ProtobufReader | undefined;
  for (let field = envelope.field(); field !== 0; field = envelope.field()) {
    if (field === 2 && head) {
      const length = envelope.varint();
      return new ProtobufReader(body, envelope.position, Math.min(body.length, envelope.position + length));
    }
    if (field === 2) {
      const { start, end } = envelope.bytes();
      raw = new ProtobufReader(body, start, end);
    }
    else if (field === 3 && envelope.string() !== '') throw new Error('a protobuf answer with a content encoding is not read');
    else if (field !== 3) envelope.skip();
  }
  if (!raw) throw new Error('the protobuf answer holds no object');
  return raw;
}

function listMeta(reader: ProtobufReader): ProtobufListMeta {
  const meta: ProtobufListMeta = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 2) setString(meta, 'resourceVersion', reader);
    else if (field === 3) setString(meta, 'continue', reader);
    else reader.skip();
  }
  return meta;
}

/** A whole list answer: its metadata and every item read by `item`. */
export function readProtobufList<Item>(body: Buffer, item: (reader: ProtobufReader) => Item): ProtobufList<Item> {
  const list = listReader(body);
  let metadata: ProtobufListMeta = {};
  const items: Item[] = [];
  for (let field = list.field(); field !== 0; field = list.field()) {
    if (field === 1) metadata = within(list, listMeta);
    else if (field === 2) items.push(within(list, item));
    else list.skip();
  }
  return { metadata, items };
}

/**
 * The continue token from an answer's first bytes (the metadata comes before the items), or
 * undefined when they do not hold the whole metadata yet.
 */
export function protobufContinueToken(head: Buffer): string | undefined {
  try {
    const list = listReader(head, true);
    if (list.field() !== 1) return undefined;
    return within(list, listMeta).continue;
  } catch {
    return undefined;
  }
}

/** The reason and message of a metav1.Status answer (an error the API server sent in protobuf). */
export function readProtobufStatus(body: Buffer): { reason?: string; message?: string } {
  const reader = listReader(body);
  const status: { reason?: string; message?: string } = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 3) setString(status, 'message', reader);
    else if (field === 4) setString(status, 'reason', reader);
    else reader.skip();
  }
  return status;
}
