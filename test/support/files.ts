// Small real files for the upload tests, and a file store of the test's own: the local server's file store
// (infra/local/file-server.ts) on a free port, which this process's FileStore adapter then signs URLs for.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { startFileServer, type StandaloneFileServer } from '../../infra/local/file-server.ts';

/** A real 2×2 PNG (signature, IHDR, IDAT, IEND with their CRCs), as a phone would send. */
export function pngFile(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const pixels = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

/** A real one-page PDF (an income proof, say), cross-reference table included. */
export function pdfFile(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
    '<< /Length 35 >>\nstream\nBT /F1 12 Tf 20 50 Td (proof) Tj ET\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A text file someone renamed to .png. */
export const textFile = () => Buffer.from('This is my ID card, honestly.\n', 'utf8');

/** Starts a file store for this test file and points this process's FileStore adapter at it. */
export async function startTestFileStore(): Promise<StandaloneFileServer & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-files-'));
  const server = await startFileServer({ port: 0, dir, key: process.env.LOCAL_FILES_KEY! });
  process.env.LOCAL_FILES_URL = server.url;
  return { ...server, dir };
}

/** PUTs a file to an upload slot as a client does: exactly the headers the slot names, the bytes as the body. */
export const putFile = (slot: { url: string; headers: Record<string, string> }, bytes: Buffer, headers: Record<string, string> = {}) =>
  fetch(slot.url, { method: 'PUT', headers: { ...slot.headers, ...headers }, body: new Uint8Array(bytes) });
