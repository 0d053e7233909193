// Uploaded files (a case's materials as real files), pure: which files the platform takes, how long an
// upload slot and a viewing link live, where a file is stored, and the rule the automatic review applies
// to a file — it is there, it is the resident's, its first bytes are the magic number of its declared type,
// and it is within size. Nothing here does I/O.

export const FILE_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** 10 MB: a phone photo of an ID card or a scanned income proof, with room to spare. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The signature of each type. Eight bytes cover the longest (PNG), so the review reads no more. */
const MAGIC_NUMBERS: Record<FileType, readonly number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  // "%PDF-"
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
};
export const HEAD_BYTES = Math.max(...Object.values(MAGIC_NUMBERS).map((m) => m.length));

/** The upload URL is valid for a few minutes: long enough to send 10 MB from a phone on a slow line. */
export const UPLOAD_URL_SECONDS = 5 * 60;
/** A viewing link is opened at once by the one who asked for it; it is useless a minute later. */
export const VIEW_URL_SECONDS = 60;
/** An upload not attached to a case within this time is deleted with its file. */
export const UNATTACHED_UPLOAD_HOURS = 24;
/**
 * A decided case's files are kept this long after the decision, then deleted: beyond the six months in
 * which the decision can be taken to court (行政诉讼) and the 60 days of an administrative review (行政复议).
 */
export const FILE_RETENTION_DAYS = 365;

/** Storage keys of uploads all start with this (the bucket's lifecycle rule and grants are on it). */
export const UPLOADS_PREFIX = 'uploads/';
export const storageKey = (uploadId: string) => `${UPLOADS_PREFIX}${uploadId}`;

export const UPLOAD_ID = /^U[0-9a-f]{32}$/;

/**
 * pending: the slot was handed out (the file may or may not have arrived: only reading storage tells, and
 * the review does); attached: it belongs to one case, for good; expired: never attached in time and being
 * deleted, it can no longer be attached.
 */
export type UploadStatus = 'pending' | 'attached' | 'expired';

export type Upload = {
  id: string;
  /** The resident the file is of, who may attach it: the caller, or at the counter the resident served. */
  residentId: string;
  /** Who asked for the slot: the resident, or the clerk uploading for them. */
  uploadedBy: string;
  fileName: string;
  contentType: FileType;
  /** Bytes, as declared and fixed in the upload URL's signature. */
  size: number;
  status: UploadStatus;
  createdAt: string;
  caseId?: string;
  materialType?: string;
  /** The job application the upload is the CV of (instead of a case). */
  applicationId?: string;
  attachedAt?: string;
};

/** What the review found in storage for an upload: its first bytes and full size, or nothing. */
export type StoredFile = { head: Uint8Array; size: number };
/** An upload's record (undefined: no such upload) and its file (undefined: nothing arrived). */
export type UploadFinding = { upload: Upload | undefined; stored: StoredFile | undefined };

export const MATERIAL_PROBLEMS = ['upload_missing', 'wrong_file_type', 'too_large'] as const;
export type MaterialProblemCode = (typeof MATERIAL_PROBLEMS)[number];
export type MaterialProblem = { type: string; problem: MaterialProblemCode };
export const PROBLEM_TEXT: Record<MaterialProblemCode, string> = { upload_missing: '未收到文件', wrong_file_type: '文件类型不符', too_large: '文件过大' };

/** The type a file's first bytes announce, if it is one the platform takes. */
export function fileTypeOf(head: Uint8Array): FileType | undefined {
  return FILE_TYPES.find((type) => MAGIC_NUMBERS[type].every((byte, i) => head[i] === byte));
}

/**
 * Every problem of one uploaded material, none when it counts as present. A file that is not there, or an
 * upload of somebody else, is `upload_missing` (the resident learns nothing about other people's uploads).
 */
export function fileProblems(upload: Upload | undefined, residentId: string, stored: StoredFile | undefined): MaterialProblemCode[] {
  if (!upload || upload.residentId !== residentId || !stored) return ['upload_missing'];
  const problems: MaterialProblemCode[] = [];
  if (fileTypeOf(stored.head) !== upload.contentType) problems.push('wrong_file_type');
  if (stored.size > MAX_FILE_BYTES) problems.push('too_large');
  return problems;
}

/**
 * Epoch seconds at which DynamoDB's TTL may drop the record of an upload never attached: a backstop a day
 * after the sweep's turn, so that the sweep, which deletes the file too, always sees the record first.
 */
export const unattachedExpiry = (createdAt: Date) => Math.floor(createdAt.getTime() / 1000) + 2 * UNATTACHED_UPLOAD_HOURS * 3600;

/** Uploads created before this moment and still unattached are due for deletion. */
export const unattachedCutoff = (now: Date) => new Date(now.getTime() - UNATTACHED_UPLOAD_HOURS * 3_600_000).toISOString();

/** When a decided case's files are deleted. */
export const filesPurgeAt = (decidedAt: string) => new Date(new Date(decidedAt).getTime() + FILE_RETENTION_DAYS * 86_400_000).toISOString();
