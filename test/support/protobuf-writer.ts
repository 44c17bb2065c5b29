// Writes the API server's protobuf encoding for the tests of the protobuf list reader: fields
// (varint, length-delimited, fixed32/64), messages, and the `k8s\0` envelope around a List.
// Only what the tests need: the field numbers are the ones k8s.io/api's generated.proto gives.

export type ProtobufValue = number | bigint | string | boolean | Buffer | ProtobufField[];
export interface ProtobufField {
  field: number;
  value: ProtobufValue;
  /** Wire type for numbers: varint (default), fixed32 or fixed64. */
  wire?: 'varint' | 'fixed32' | 'fixed64';
}

function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return Buffer.from(bytes);
}

function tag(field: number, wire: number): Buffer {
  return varint(BigInt(field * 8 + wire));
}

export function encodeFields(fields: ProtobufField[]): Buffer {
  const parts: Buffer[] = [];
  for (const { field, value, wire } of fields) {
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      const number = typeof value === 'boolean' ? (value ? 1n : 0n) : BigInt(value);
      if (wire === 'fixed32') {
        const bytes = Buffer.alloc(4);
        bytes.writeUInt32LE(Number(BigInt.asUintN(32, number)));
        parts.push(tag(field, 5), bytes);
      } else if (wire === 'fixed64') {
        const bytes = Buffer.alloc(8);
        bytes.writeBigUInt64LE(BigInt.asUintN(64, number));
        parts.push(tag(field, 1), bytes);
      } else parts.push(tag(field, 0), varint(number));
      continue;
    }
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.isBuffer(value) ? value : encodeFields(value);
    parts.push(tag(field, 2), varint(BigInt(bytes.length)), bytes);
  }
  return Buffer.concat(parts);
}

/** A List answer: envelope (TypeMeta 1, raw 2, contentEncoding 3, contentType 4) around ListMeta 1 and items 2. */
export function protobufListAnswer(kind: string, metadata: { resourceVersion?: string; continue?: string }, items: ProtobufField[][], contentEncoding = ''): Buffer {
  return protobufListParts(kind, metadata, items, contentEncoding).answer;
}

/** The answer and the length of its head: everything up to the end of the List's metadata. */
export function protobufListParts(kind: string, metadata: { resourceVersion?: string; continue?: string }, items: ProtobufField[][], contentEncoding = ''): { answer: Buffer; headLength: number } {
  const listMeta: ProtobufField[] = [{ field: 1, value: '' }, { field: 2, value: metadata.resourceVersion ?? '' }, { field: 3, value: metadata.continue ?? '' }];
  const metadataField = encodeFields([{ field: 1, value: listMeta }]);
  const list = Buffer.concat([metadataField, encodeFields(items.map((item) => ({ field: 2, value: item })))]);
  const typeMeta = encodeFields([{ field: 1, value: [{ field: 1, value: 'v1' }, { field: 2, value: kind }] }]);
  const rawHead = Buffer.concat([tag(2, 2), varint(BigInt(list.length))]);
  const rest = encodeFields([{ field: 3, value: contentEncoding }, { field: 4, value: '' }]);
  const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
  return { answer: Buffer.concat([magic, typeMeta, rawHead, list, rest]), headLength: magic.length + typeMeta.length + rawHead.length + metadataField.length };
}

/** A metav1.Time: seconds (1); the zero time is an empty message. */
export function protobufTime(epochMs: number | undefined): ProtobufField[] {
  return epochMs === undefined ? [] : [{ field: 1, value: Math.floor(epochMs / 1000) }, { field: 2, value: 0 }];
}
