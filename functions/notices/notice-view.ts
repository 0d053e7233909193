// A notice as clients see it. Who published it stays internal: the list is public.

import type { Notice } from '../../shared/domain/notices.ts';

export const noticeView = (n: Notice) => ({
  id: n.id,
  community: n.community,
  kind: n.kind,
  title: n.title,
  body: n.body,
  startsAt: n.startsAt,
  endsAt: n.endsAt ?? null,
  publishedAt: n.publishedAt,
});
