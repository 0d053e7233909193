// 社区公告与应急: the community's notices that have not ended, active and upcoming (GET /notices), the
// shelters nearest to where the phone is (GET /facilities?near=, asked only when the resident taps the
// button, since the position is theirs), and the community's emergency shelters and civil-defense works,
// each with a link that opens the phone's map app at the place (Amap's URI API, or a geo: URI for any other
// map app); no map tiles are loaded.

import { useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import type { Catalog, Facility } from '../api/types.ts';
import { loadCatalog } from '../catalog.ts';
import { currentSession, isResident } from '../auth/session.ts';
import { fieldId } from '../components/form.tsx';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { distance, instant, named } from '../format.ts';
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

type Position = { lat: number; lng: number };
type Located = { state: 'idle' | 'locating' | 'denied' | 'unavailable' } | { state: 'found'; at: Position };

function whereAmI(): Promise<Position> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition((p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }), reject, { maximumAge: 60_000, timeout: 15_000 });
  });
}

function FacilityCard({ f }: { f: Facility & { distanceMeters?: number } }) {
  return (
    <li class="card">
      <h3 lang="zh-CN">{f.name}</h3>
      <p>
        <span class="badge">{textOf(`facility.${f.kind}`)}</span> {f.distanceMeters !== undefined && <strong>{t('community.away', { distance: distance(f.distanceMeters) })}</strong>}{' '}
        {t('community.capacity', { count: f.capacity })}
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
  );
}

function NearestShelters() {
  const [located, setLocated] = useState<Located>({ state: 'idle' });
  const at = located.state === 'found' ? located.at : undefined;
  const nearest = useLoad(
    () => (at ? call('GET /facilities', { query: { near: `${at.lat},${at.lng}`, kind: 'shelter', limit: '5' } }) : Promise.resolve(undefined)),
    [at?.lat, at?.lng],
  );
  const locate = () => {
    setLocated({ state: 'locating' });
    whereAmI().then(
      (position) => setLocated({ state: 'found', at: position }),
      (error: unknown) => setLocated({ state: (error as GeolocationPositionError | undefined)?.code === 1 ? 'denied' : 'unavailable' }),
    );
  };
  return (
    <section aria-labelledby="nearest">
      <h2 id="nearest">{t('community.nearest')}</h2>
      <p>
        <button type="button" class="button primary" onClick={locate} disabled={located.state === 'locating'}>
          {located.state === 'found' ? t('community.locateAgain') : t('community.locate')}
        </button>
      </p>
      {located.state === 'locating' && <p role="status">{t('community.locating')}</p>}
      {(located.state === 'denied' || located.state === 'unavailable') && (
        <p class="notice-inline" role="status">
          {t(located.state === 'denied' ? 'community.locationDenied' : 'community.locationUnavailable')}
        </p>
      )}
      <ProblemMessage error={nearest.error} />
      {at && nearest.loading && <Loading />}
      {at && nearest.data?.items.length === 0 && <p>{t('community.noneNearby')}</p>}
      <ul class="list nearest">
        {at && nearest.data?.items.map((f) => <FacilityCard key={f.id} f={f} />)}
      </ul>
    </section>
  );
}

const communityName = (catalog: Catalog | undefined, code: string) => {
  const found = catalog?.centres.flatMap((c) => c.communities).find((m) => m.code === code);
  return found ? named(found.name) : code;
};

export function CommunityPage({ community: asked }: { community?: string }) {
  const [kind, setKind] = useState<(typeof KINDS)[number]>('');
  const community = useLoad(() => communityToShow(asked), [asked]);
  const code = community.data;
  const notices = useLoad(() => (code ? call('GET /notices', { query: { community: code } }) : Promise.resolve(undefined)), [code]);
  const facilities = useLoad(
    () => (code ? call('GET /facilities', { query: { community: code, ...(kind ? { kind } : {}), limit: '50' } }) : Promise.resolve(undefined)),
    [code, kind],
  );
  const catalog = useLoad(loadCatalog, []);
  const [chosen, setChosen] = useState('');

  return (
    <Page title={t('community.title')}>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (chosen) navigate(hrefOf('community', {}, { community: chosen }));
        }}
      >
        <label for={fieldId('community')}>{t('community.choose')}</label>
        <select id={fieldId('community')} value={chosen || code} onChange={(e) => setChosen(e.currentTarget.value)}>
          {catalog.data?.centres.map((centre) => (
            <optgroup key={centre.code} label={named(centre.name)}>
              {centre.communities.map((m) => (
                <option key={m.code} value={m.code}>
                  {named(m.name)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button type="submit" class="button">
          {t('community.show')}
        </button>
      </form>
      {code && <p class="lead">{t('community.showing', { community: communityName(catalog.data, code) })}</p>}

      <section aria-labelledby="notices">
        <h2 id="notices">{t('community.notices')}</h2>
        <ProblemMessage error={notices.error} />
        {notices.loading && <Loading />}
        {notices.data?.items.length === 0 && <p>{t('community.noNotices')}</p>}
        <ul class="list">
          {notices.data?.items.map((n) => (
            <li key={n.id} class="card">
              <h3>
                <span class={`badge badge-${n.state}`}>{t(n.state === 'upcoming' ? 'community.upcoming' : 'community.active')}</span>{' '}
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

      <NearestShelters />

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
          {facilities.data?.items.map((f) => <FacilityCard key={f.id} f={f} />)}
        </ul>
      </section>
    </Page>
  );
}
