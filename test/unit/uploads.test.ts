// The rules of uploaded files, pure: the magic numbers of the three types the platform takes, every problem a
// file can have, and the automatic review counting an uploaded material as present only when it has none.

import { describe, expect, it } from 'vitest';
import { autoReview, withVerdicts, type FileFindings, type Material } from '../../shared/domain/cases.ts';
import { findMatter } from '../../shared/domain/catalog.ts';
import { fileProblems, filesPurgeAt, fileTypeOf, HEAD_BYTES, MAX_FILE_BYTES, unattachedCutoff, type StoredFile, type Upload } from '../../shared/domain/uploads.ts';
import { pdfFile, pngFile, textFile } from '../support/files.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46);
const head = (file: Buffer) => new Uint8Array(file.subarray(0, HEAD_BYTES));

const upload = (id: string, contentType: Upload['contentType'], residentId = 'r-1'): Upload => ({
  id,
  residentId,
  uploadedBy: residentId,
  fileName: 'f',
  contentType,
  size: 100,
  status: 'attached',
  createdAt: '2026-12-01T00:00:00.000Z',
  caseId: 'C20261201-0001',
});

describe('magic numbers', () => {
  it('knows JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A) and PDF (%PDF-) by their first bytes', () => {
    expect(fileTypeOf(JPEG)).toBe('image/jpeg');
    expect(fileTypeOf(head(pngFile()))).toBe('image/png');
    expect(fileTypeOf(head(pdfFile()))).toBe('application/pdf');
  });

  it('knows nothing else: text, a truncated signature, an empty file, a near miss', () => {
    expect(fileTypeOf(head(textFile()))).toBeUndefined();
    expect(fileTypeOf(bytes(0x89, 0x50, 0x4e, 0x47))).toBeUndefined();
    expect(fileTypeOf(bytes())).toBeUndefined();
    expect(fileTypeOf(bytes(0xff, 0xd8, 0xfe))).toBeUndefined();
    expect(fileTypeOf(new TextEncoder().encode('%PDF'))).toBeUndefined();
  });

  it('needs no more than 8 bytes for any of them', () => {
    expect(HEAD_BYTES).toBe(8);
  });
});

describe('problems of one uploaded file', () => {
  const stored = (file: Uint8Array, size = 100): StoredFile => ({ head: file, size });

  it('has none when the resident’s file arrived, of its declared type, within 10 MB', () => {
    expect(fileProblems(upload('u', 'image/png'), 'r-1', stored(head(pngFile()), MAX_FILE_BYTES))).toEqual([]);
  });

  it('is upload_missing when nothing arrived, the upload does not exist, or it is someone else’s', () => {
    expect(fileProblems(upload('u', 'image/png'), 'r-1', undefined)).toEqual(['upload_missing']);
    expect(fileProblems(undefined, 'r-1', stored(JPEG))).toEqual(['upload_missing']);
    expect(fileProblems(upload('u', 'image/jpeg', 'r-2'), 'r-1', stored(JPEG))).toEqual(['upload_missing']);
  });

  it('is wrong_file_type for bytes of another type than declared, and too_large above 10 MB, both at once', () => {
    expect(fileProblems(upload('u', 'image/png'), 'r-1', stored(JPEG))).toEqual(['wrong_file_type']);
    expect(fileProblems(upload('u', 'application/pdf'), 'r-1', stored(head(textFile())))).toEqual(['wrong_file_type']);
    expect(fileProblems(upload('u', 'image/jpeg'), 'r-1', stored(JPEG, MAX_FILE_BYTES + 1))).toEqual(['too_large']);
    expect(fileProblems(upload('u', 'image/png'), 'r-1', stored(JPEG, MAX_FILE_BYTES + 1))).toEqual(['wrong_file_type', 'too_large']);
  });
});

describe('the automatic review of uploaded materials', () => {
  const matter = findMatter('minimum-living-allowance')!;
  const findings = (entries: [string, Upload | undefined, Uint8Array | undefined][]): FileFindings => ({
    residentId: 'r-1',
    byUpload: new Map(entries.map(([id, u, h]) => [id, { upload: u, stored: h && { head: h, size: 100 } }])),
  });

  it('accepts uploaded files that check out beside a v1 ref', () => {
    const materials: Material[] = [
      { type: 'id-card', uploadId: 'u1' },
      { type: 'household-register', uploadId: 'u2' },
      { type: 'income-proof', ref: 'oss://income.pdf' },
    ];
    const files = findings([
      ['u1', upload('u1', 'image/jpeg'), JPEG],
      ['u2', upload('u2', 'application/pdf'), head(pdfFile())],
    ]);
    expect(autoReview(matter, materials, undefined, '2026-12-01', files)).toEqual({ outcome: 'accepted' });
  });

  it('returns every problem at once, with each type also missing, beside a material not given at all', () => {
    const materials: Material[] = [
      { type: 'id-card', uploadId: 'u1' },
      { type: 'household-register', uploadId: 'u2' },
    ];
    const files = findings([
      ['u1', upload('u1', 'image/png'), head(textFile())],
      ['u2', upload('u2', 'application/pdf'), undefined],
    ]);
    expect(autoReview(matter, materials, undefined, '2026-12-01', files)).toEqual({
      outcome: 'returned',
      reason: 'missing_materials',
      missingMaterials: ['id-card', 'household-register', 'income-proof'],
      materialProblems: [
        { type: 'id-card', problem: 'wrong_file_type' },
        { type: 'household-register', problem: 'upload_missing' },
      ],
    });
  });

  it('takes an uploaded material the review could not read as missing', () => {
    const review = autoReview(matter, [{ type: 'id-card', uploadId: 'u1' }], undefined, '2026-12-01');
    expect(review).toMatchObject({ outcome: 'returned', materialProblems: [{ type: 'id-card', problem: 'upload_missing' }] });
  });

  it('marks each uploaded file verified or not, and never a ref', () => {
    const materials: Material[] = [
      { type: 'id-card', uploadId: 'u1' },
      { type: 'household-register', uploadId: 'u2' },
      { type: 'income-proof', ref: 'x' },
    ];
    expect(withVerdicts(materials, [{ type: 'household-register', problem: 'too_large' }])).toEqual([
      { type: 'id-card', uploadId: 'u1', verified: true },
      { type: 'household-register', uploadId: 'u2', verified: false },
      { type: 'income-proof', ref: 'x' },
    ]);
  });
});

describe('how long files live', () => {
  it('deletes an unattached upload 24 hours after its slot, and a decided case’s files a year after the decision', () => {
    expect(unattachedCutoff(new Date('2026-12-02T08:00:00.000Z'))).toBe('2026-12-01T08:00:00.000Z');
    expect(filesPurgeAt('2026-12-01T08:00:00.000Z')).toBe('2027-12-01T08:00:00.000Z');
  });
});
