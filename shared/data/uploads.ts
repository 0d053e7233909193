// Uploads: one item per upload slot, owned by the resident the file is of. An upload is attached to exactly
// one case (or, as a CV, one job application) by a conditional write in the same transaction that writes the
// case (the application); until then it waits on a sparse index for the sweep (and DynamoDB's TTL as a
// backstop). A decided case's uploads, and a CV from the moment it is attached, wait on another sparse index
// for the end of their retention.
//
// Items (keys.ts builds every key)
//   upload   pk UPLOAD#<uploadId>  sk UPLOAD
//            gsi2 UPLOADS#UNATTACHED / <createdAt>#<uploadId>   (while pending or expired: the sweep's list)
//            gsi2 UPLOADS#PURGE / <purgeAt>#<uploadId>          (its case decided, or a CV: deletion after retention)
//            expiresAt                                           (TTL, while not attached)

import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unattachedExpiry, type Upload } from '../domain/uploads.ts';
import { batchGet, db, tableName } from './client.ts';
import { applied, type TransactItem } from './conditional-writes.ts';
import { uploadKeys, withoutKeys } from './keys.ts';

export async function createUpload(upload: Upload): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...uploadKeys.item(upload.id),
        ...upload,
        gsi2pk: uploadKeys.unattached,
        gsi2sk: uploadKeys.order(upload.createdAt, upload.id),
        expiresAt: unattachedExpiry(new Date(upload.createdAt)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getUpload(id: string): Promise<Upload | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: uploadKeys.item(id), ConsistentRead: true }));
  return Item ? withoutKeys<Upload>(Item) : undefined;
}

/** Several uploads by id (a case has at most 20 materials). */
export async function getUploads(ids: string[]): Promise<Map<string, Upload>> {
  const items = await batchGet([...new Set(ids)].map((id) => uploadKeys.item(id)), true);
  return new Map(items.map((item) => [item.id as string, withoutKeys<Upload>(item)]));
}

/**
 * The transaction item that attaches an upload to a case: it must be the resident's and still pending, or
 * already attached to this very case (a retried request). It leaves the sweep's list and its TTL.
 */
export function attachUpload(uploadId: string, attachment: { caseId: string; residentId: string; materialType: string; at: string }): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: uploadKeys.item(uploadId),
      UpdateExpression: 'SET #status = :attached, caseId = :case, materialType = :type, attachedAt = if_not_exists(attachedAt, :at) REMOVE gsi2pk, gsi2sk, expiresAt',
      ConditionExpression: 'residentId = :resident AND (#status = :pending OR caseId = :case)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':attached': 'attached',
        ':pending': 'pending',
        ':case': attachment.caseId,
        ':type': attachment.materialType,
        ':at': attachment.at,
        ':resident': attachment.residentId,
      },
    },
  };
}

/**
 * The transaction item that binds a CV upload to a job application: it must be the resident's and pending. It
 * leaves the sweep's list and its TTL for the purge list, due at `purgeAt` (cvPurgeAt: its retention is known
 * from the start, the posting's closing day), and only the applicant and the posting's centre can open it
 * (GET /applications/{id}/cv).
 */
export function attachUploadToApplication(uploadId: string, attachment: { applicationId: string; residentId: string; at: string; purgeAt: string }): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: uploadKeys.item(uploadId),
      UpdateExpression: 'SET #status = :attached, applicationId = :application, attachedAt = :at, gsi2pk = :purge, gsi2sk = :order REMOVE expiresAt',
      ConditionExpression: 'residentId = :resident AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':attached': 'attached',
        ':pending': 'pending',
        ':application': attachment.applicationId,
        ':at': attachment.at,
        ':resident': attachment.residentId,
        ':purge': uploadKeys.purge,
        ':order': uploadKeys.order(attachment.purgeAt, uploadId),
      },
    },
  };
}

/** Uploads on one of the two sparse lists whose time is before `bound`, oldest first. */
async function listedBefore(list: string, bound: string, limit: number): Promise<Upload[]> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :list AND gsi2sk < :bound',
      ExpressionAttributeValues: { ':list': list, ':bound': bound },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((i) => withoutKeys<Upload>(i));
}

/** Uploads created before `cutoff` and never attached (pending, or expired and not yet deleted). */
export const listUnattachedBefore = (cutoff: string, limit: number) => listedBefore(uploadKeys.unattached, cutoff, limit);

/** Uploads of decided cases, replaced ones and CVs whose time to be deleted has come; `~` sorts after every id. */
export const listUploadsDueForPurge = (now: Date, limit: number) => listedBefore(uploadKeys.purge, `${now.toISOString()}#~`, limit);

/** Claims a never-attached upload for deletion: from now on it cannot be attached. False if it was meanwhile. */
export async function expireUpload(id: string): Promise<boolean> {
  return applied(
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: uploadKeys.item(id),
        UpdateExpression: 'SET #status = :expired',
        ConditionExpression: '#status IN (:pending, :expired)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'pending', ':expired': 'expired' },
      }),
    ),
  );
}

/** Deletes the record of an upload whose file is gone. */
export async function deleteUpload(id: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: uploadKeys.item(id) }));
}

/**
 * The transaction item that puts a decided case's upload on the list for deletion at `purgeAt`, written with
 * the decision itself so a retried Finalize cannot miss it. It sets the id too: should the record be gone
 * already, the item it leaves behind is still one the purge can delete.
 */
export function purgeUploadAt(uploadId: string, purgeAt: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: uploadKeys.item(uploadId),
      UpdateExpression: 'SET gsi2pk = :purge, gsi2sk = :order, id = :id',
      ExpressionAttributeValues: { ':purge': uploadKeys.purge, ':order': uploadKeys.order(purgeAt, uploadId), ':id': uploadId },
    },
  };
}
