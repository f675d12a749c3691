/**
 * A small zip reader for the packaging test and the benchmark (no `unzip` needed on the CI machine): the central directory
 * lists the entries, and an entry's bytes are read through its local header (stored or
 * deflated). Zip64 archives are refused: a Lambda package here is a few MB.
 */
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  method: number;
  localHeaderOffset: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  read(name: string): Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export function openZip(path: string): ZipArchive {
  const data = readFileSync(path);
  let end = -1;
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i -= 1) {
    if (data.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error(`${path}: not a zip file (no end of central directory)`);
  const count = data.readUInt16LE(end + 10);
  const directoryOffset = data.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new Error(`${path}: zip64`);

  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let i = 0; i < count; i += 1) {
    if (data.readUInt32LE(offset) !== CENTRAL_DIRECTORY_HEADER) {
      throw new Error(`${path}: bad central directory entry ${i}`);
    }
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    entries.push({
      method: data.readUInt16LE(offset + 10),
      compressedSize: data.readUInt32LE(offset + 20),
      size: data.readUInt32LE(offset + 24),
      localHeaderOffset: data.readUInt32LE(offset + 42),
      name: data.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }

  return {
    entries,
    read(name) {
      const entry = entries.find((candidate) => candidate.name === name);
      if (!entry) throw new Error(`${path}: no entry ${name}`);
      const at = entry.localHeaderOffset;
      if (data.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error(`${path}: bad ${name}`);
      const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
      if (entry.method !== 0 && entry.method !== 8) {
        throw new Error(`${path}: ${name} uses compression method ${entry.method}`);
      }
      const raw = data.subarray(start, start + entry.compressedSize);
      const bytes = entry.method === 0 ? Buffer.from(raw) : inflateRawSync(raw);
      if (bytes.length !== entry.size) throw new Error(`${path}: ${name} has the wrong size`);
      return bytes;
    },
  };
}
