// 社区公告与应急: the community's notices that have not ended (GET /notices) and its emergency shelters
// and civil-defense works (GET /facilities), each with a link that opens the phone's map app at the place
// (Amap's URI API, or a geo: URI for any other map app); no map tiles are loaded.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Facility } from '../api/types.ts';
import { currentSession, isResident } from '../auth/session.ts';
import { fieldId } from '../components/form.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { instant } from '../format.ts';
import { t, textOf } from '../i18n.ts';
import { profileOrNull } from '../my-profile.ts';
import { hrefOf } from '../page-paths.ts';
import { navigate } from '../router.ts';
import { useLoad } from '../use-load.ts';

const DEMO_COMMUNITY = 'sunshine-garden';
const KINDS = ['', 'shelter', 'civil-defense'] as const;

/** Amap takes WGS-84 with coordinate=wgs84 (it converts to its own GCJ-02) and opens its app on phones. */
const amapUrl = (f: Facility) =>
  `https://uri.amap.com/marker?${new URLSearchParams({ position: `${f.lng},${f.lat}`, name: f.name, coordinate: 'wgs84', callnative: '1' })}`;
const geoUri = (f: Facility) => `geo:${f.lat},${f.lng}?q=${f.lat},${f.lng}(${encodeURIComponent(f.name)})`;

async function communityToShow(asked: string | undefined): Promise<string> {
  if (asked) return asked;
  if (!isResident(currentSession())) return DEMO_COMMUNITY;
  return (await profileOrNull())?.community ?? DEMO_COMMUNITY;
}

export function CommunityPage({ community: asked }: { community?: string }) {
  const [kind, setKind] = useState<(typeof KINDS)[number]>('');
  const community = useLoad(() => communityToShow(asked), [asked]);
  const code = community.data;
  const notices = useLoad(() => (code ? call('GET /notices', { query: { community: code } }) : Promise.resolve(undefined)), [code]);
  const facilities = useLoad(
    () => (code ? call('GET /facilities', { query: { community: code, ...(kind ? { kind } : {}), limit: '50' } }) : Promise.resolve(undefined)),
    [code, kind],
  );
  const [typed, setTyped] = useState('');

  return (
    <Page title={t('community.title')}>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed.trim()) navigate(hrefOf('community', {}, { community: typed.trim() }));
        }}
      >
        <label for={fieldId('community')}>{t('community.code')}</label>
        <input id={fieldId('community')} value={typed} placeholder={code} onInput={(e) => setTyped(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
        <button type="submit" class="button">
          {t('community.show')}
        </button>
      </form>
      {code && <p class="lead">{t('community.showing', { community: code })}</p>}

      <section aria-labelledby="notices">
        <h2 id="notices">{t('community.notices')}</h2>
        <ProblemMessage error={notices.error} />
        {notices.loading && <Loading />}
        {notices.data?.items.length === 0 && <p>{t('community.noNotices')}</p>}
        <ul class="list">
          {notices.data?.items.map((n) => (
            <li key={n.id} class="card">
              <h3>
                <span class="badge">{textOf(`notice.${n.kind}`)}</span> <span lang="zh-CN">{n.title}</span>
              </h3>
              <p lang="zh-CN">{n.body}</p>
              <p class="hint">
                {n.endsAt ? t('community.period', { from: instant(n.startsAt), to: instant(n.endsAt) }) : t('community.since', { from: instant(n.startsAt) })}
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="facilities">
        <h2 id="facilities">{t('community.facilities')}</h2>
        <div class="field">
          <label for={fieldId('kind')}>{t('community.kind')}</label>
          <select id={fieldId('kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k ? textOf(`facility.${k}`) : t('community.allKinds')}
              </option>
            ))}
          </select>
        </div>
        <ProblemMessage error={facilities.error} />
        {facilities.loading && <Loading />}
        {facilities.data?.items.length === 0 && <p>{t('community.noFacilities')}</p>}
        <ul class="list">
          {facilities.data?.items.map((f) => (
            <li key={f.id} class="card">
              <h3 lang="zh-CN">{f.name}</h3>
              <p>
                <span class="badge">{textOf(`facility.${f.kind}`)}</span> {t('community.capacity', { count: f.capacity })}
              </p>
              <p lang="zh-CN">{f.address}</p>
              <p class="actions">
                <a href={amapUrl(f)} class="button" rel="noopener">
                  {t('community.openMap')}
                </a>
                <a href={geoUri(f)} class="button">
                  {t('community.openOtherMap')}
                </a>
              </p>
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
