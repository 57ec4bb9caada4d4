import { BSON } from 'bson';
import { MalformedMessageError } from '../../errors/embedded-mongo-error';
import { Doc } from '../storage/document-paths';
import { crc32c } from './crc32c';
import { HEADER_SIZE, OpCode, OpMsgFlag } from './op-codes';

/** The standard header of every wire message. */
export interface MessageHeader {
  readonly length: number;
  readonly requestId: number;
  readonly responseTo: number;
  readonly opCode: number;
}

/** A decoded command request (from OP_MSG or a legacy OP_QUERY on `<db>.$cmd`). */
export interface CommandRequest {
  readonly header: MessageHeader;
  /** The command document, with kind-1 document sequences attached as array fields. */
  readonly command: Doc;
  /** Database the command runs against (`$db`, or the OP_QUERY namespace). */
  readonly db: string;
  /** OP_MSG moreToCome: the client expects no reply. */
  readonly moreToCome: boolean;
  /** Whether the reply must be an OP_REPLY (the request was an OP_QUERY). */
  readonly legacy: boolean;
}

/** Reads the header of a whole message. */
export function readHeader(frame: Buffer): MessageHeader {
  return {
    length: frame.readInt32LE(0),
    requestId: frame.readInt32LE(4),
    responseTo: frame.readInt32LE(8),
    opCode: frame.readInt32LE(12),
  };
}

function readDocument(frame: Buffer, offset: number, end: number, what: string): { doc: Doc; next: number } {
  if (offset + 4 > end) throw new MalformedMessageError(`${what}: truncated document at offset ${offset}`);
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end)
    throw new MalformedMessageError(
      `${what}: document size ${size} at offset ${offset} overruns the message`,
    );
  try {
    return { doc: BSON.deserialize(frame.subarray(offset, offset + size)) as Doc, next: offset + size };
  } catch (e) {
    throw new MalformedMessageError(`${what}: invalid BSON at offset ${offset}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

function readCString(
  frame: Buffer,
  offset: number,
  end: number,
  what: string,
): { value: string; next: number } {
  const zero = frame.indexOf(0, offset);
  if (zero < 0 || zero >= end)
    throw new MalformedMessageError(`${what}: unterminated string at offset ${offset}`);
  return { value: frame.toString('utf8', offset, zero), next: zero + 1 };
}

/** Decodes an OP_MSG (kind 0 body, kind 1 document sequences, optional CRC-32C checksum). */
export function decodeOpMsg(frame: Buffer): CommandRequest {
  const header = readHeader(frame);
  if (frame.length < HEADER_SIZE + 5) throw new MalformedMessageError('OP_MSG: too short');
  const flags = frame.readUInt32LE(HEADER_SIZE);
  const unknownRequired = flags & 0xffff & ~(OpMsgFlag.checksumPresent | OpMsgFlag.moreToCome);
  if (unknownRequired)
    throw new MalformedMessageError(`OP_MSG: unknown required flag bits 0x${unknownRequired.toString(16)}`);
  let end = frame.length;
  if (flags & OpMsgFlag.checksumPresent) {
    end -= 4;
    const expected = frame.readUInt32LE(end);
    const actual = crc32c(frame.subarray(0, end));
    if (expected !== actual)
      throw new MalformedMessageError(
        `OP_MSG: checksum mismatch (message says ${expected}, computed ${actual})`,
      );
  }
  let offset = HEADER_SIZE + 4;
  let body: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = frame[offset++];
    if (kind === 0) {
      if (body) throw new MalformedMessageError('OP_MSG: more than one kind-0 section');
      const { doc, next } = readDocument(frame, offset, end, 'OP_MSG body');
      body = doc;
      offset = next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new MalformedMessageError('OP_MSG: truncated document sequence');
      const size = frame.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end)
        throw new MalformedMessageError(`OP_MSG: document sequence size ${size} overruns the message`);
      const id = readCString(frame, offset + 4, seqEnd, 'OP_MSG document sequence');
      const docs: Doc[] = [];
      let at = id.next;
      while (at < seqEnd) {
        const { doc, next } = readDocument(frame, at, seqEnd, `OP_MSG sequence '${id.value}'`);
        docs.push(doc);
        at = next;
      }
      sequences.push([id.value, docs]);
      offset = seqEnd;
    } else {
      throw new MalformedMessageError(`OP_MSG: unknown section kind ${kind}`);
    }
  }
  if (!body) throw new MalformedMessageError('OP_MSG: no kind-0 section');
  for (const [id, docs] of sequences) {
    if (id in body)
      throw new MalformedMessageError(`OP_MSG: document sequence '${id}' duplicates a body field`);
    body[id] = docs;
  }
  const db = body['$db'];
  return {
    header,
    command: body,
    db: typeof db === 'string' ? db : '',
    moreToCome: (flags & OpMsgFlag.moreToCome) !== 0,
    legacy: false,
  };
}

/** Decodes a legacy OP_QUERY; only commands (`<db>.$cmd`) are accepted. */
export function decodeOpQuery(frame: Buffer): CommandRequest {
  const header = readHeader(frame);
  let offset = HEADER_SIZE + 4; // flags
  const ns = readCString(frame, offset, frame.length, 'OP_QUERY namespace');
  offset = ns.next + 8; // numberToSkip, numberToReturn
  let { doc } = readDocument(frame, offset, frame.length, 'OP_QUERY query');
  if (!ns.value.endsWith('.$cmd'))
    throw new MalformedMessageError(`OP_QUERY on '${ns.value}' is not supported (only <db>.$cmd commands)`);
  if ('$query' in doc && typeof doc['$query'] === 'object') doc = doc['$query'] as Doc;
  return { header, command: doc, db: ns.value.slice(0, -'.$cmd'.length), moreToCome: false, legacy: true };
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Encodes an OP_MSG reply (one kind-0 section, no checksum). */
export function encodeOpMsg(responseTo: number, reply: Doc): Buffer {
  const body = BSON.serialize(reply);
  const flags = Buffer.from([0, 0, 0, 0, 0]); // flagBits + section kind 0
  return Buffer.concat([
    header(HEADER_SIZE + flags.length + body.length, responseTo, OpCode.OP_MSG),
    flags,
    body,
  ]);
}

/** Encodes an OP_REPLY carrying one document (the answer to an OP_QUERY command). */
export function encodeOpReply(responseTo: number, reply: Doc): Buffer {
  const body = BSON.serialize(reply);
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([
    header(HEADER_SIZE + fields.length + body.length, responseTo, OpCode.OP_REPLY),
    fields,
    body,
  ]);
}
