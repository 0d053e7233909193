// 个人资料 (PUT /me). The ID number is checked as it is typed with the very rule the server applies
// (GB 11643 check character and birth date, shared/domain/id-number.ts); the community is chosen from the
// catalog's service centres and their communities (GET /catalog); what only the server can tell (the
// national register does not confirm the name with the number, an ID number registered to another
// account) comes back as field errors and is shown beside the field and in the summary at the top.

import { useEffect, useState } from 'preact/hooks';
import { call } from '../api/client.ts';
import { ApiProblem } from '../api/problem.ts';
import { centreOfCommunity, loadCatalog } from '../catalog.ts';
import { ErrorSummary, SelectField, serverFieldErrors, SubmitButton, TextField, type FieldErrors } from '../components/form.tsx';
import { named } from '../format.ts';
import { Loading, Page } from '../components/page.tsx';
import { ProblemMessage } from '../components/problem.tsx';
import { t } from '../i18n.ts';
import { profileOrNull } from '../my-profile.ts';
import { navigate } from '../router.ts';
import { idNumberProblem, idNumberReasonText } from '../rules.ts';
import { normalizeMobile } from '../../../shared/domain/phone.ts';
import { useAction } from '../use-action.ts';
import { useLoad } from '../use-load.ts';

type Entries = { name: string; idNumber: string; phone: string; community: string; address: string };
const EMPTY: Entries = { name: '', idNumber: '', phone: '', community: '', address: '' };

function checkEntries(entries: Entries): FieldErrors {
  const errors: FieldErrors = {};
  if (!entries.name.trim()) errors.name = t('profile.name.missing');
  const idProblem = idNumberProblem(entries.idNumber);
  if (idProblem) errors.idNumber = idProblem;
  if (!normalizeMobile(entries.phone)) errors.phone = t('profile.phone.invalid');
  if (!entries.community.trim()) errors.community = t('profile.community.missing');
  return errors;
}

/** The server's English messages for these fields, said in the resident's language. */
function translateServerError(path: string, message: string, code?: string): string {
  if (code === 'identity_mismatch') return t(path === 'name' ? 'profile.name.mismatch' : 'profile.idNumber.mismatch');
  if (path === 'idNumber') return idNumberReasonText(message.split(': ').pop() ?? '') ?? message;
  if (path === 'phone') return t('profile.phone.invalid');
  if (path === 'community') return t('profile.community.invalid');
  return message;
}

export function ProfilePage({ returnTo }: { returnTo?: string }) {
  const existing = useLoad(profileOrNull, []);
  const catalog = useLoad(loadCatalog, []);
  const [centre, setCentre] = useState('');
  const [entries, setEntries] = useState<Entries>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [idTouched, setIdTouched] = useState(false);
  const [busy, problem, run, setProblem] = useAction();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const p = existing.data;
    if (p) setEntries({ name: p.name, idNumber: p.idNumber, phone: p.phone.replace(/^\+86/, ''), community: p.community, address: p.address ?? '' });
  }, [existing.data]);

  if (existing.loading || catalog.loading) return <Page title={t('profile.title')}><Loading /></Page>;
  const centres = catalog.data?.centres ?? [];
  const shownCentre = centre || (catalog.data && entries.community ? centreOfCommunity(catalog.data, entries.community)?.code : undefined) || '';
  const communities = centres.find((c) => c.code === shownCentre)?.communities ?? [];

  const set = (field: keyof Entries) => (value: string) => {
    setEntries((e) => ({ ...e, [field]: value }));
    setSaved(false);
    if (field === 'idNumber') {
      // As the resident types: say what is wrong once all 18 characters are in, or after they leave the field.
      const show = idTouched || value.trim().length >= 18;
      setErrors(({ idNumber: _old, ...rest }) => {
        const problemNow = show ? idNumberProblem(value) : undefined;
        return problemNow ? { ...rest, idNumber: problemNow } : rest;
      });
    } else if (errors[field]) {
      setErrors(({ [field]: _cleared, ...rest }) => rest);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    const found = checkEntries(entries);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    await run(async () => {
      await call('PUT /me', {
        body: {
          name: entries.name,
          idNumber: entries.idNumber,
          phone: entries.phone,
          community: entries.community.trim(),
          ...(entries.address.trim() ? { address: entries.address } : {}),
        },
      });
      setSaved(true);
      if (returnTo) navigate(returnTo);
    }, (error) => {
      const fields = serverFieldErrors(error, (path, message) => translateServerError(path, message, error instanceof ApiProblem ? error.code : undefined));
      if (error instanceof ApiProblem && error.code === 'id_number_in_use') fields.idNumber = t('problem.id_number_in_use');
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(error);
    });
  };

  const labels = {
    name: t('profile.name'),
    idNumber: t('profile.idNumber'),
    phone: t('profile.phone'),
    centre: t('profile.centre'),
    community: t('profile.community'),
    address: t('profile.address'),
  };
  return (
    <Page title={t('profile.title')}>
      <ErrorSummary errors={errors} labels={labels} />
      <ProblemMessage error={problem ?? existing.error} />
      {saved && (
        <p class="success" role="status">
          {t('profile.saved')}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <TextField name="name" label={labels.name} value={entries.name} onValue={set('name')} error={errors.name} required autocomplete="name" maxLength={50} />
        <TextField
          name="idNumber"
          label={labels.idNumber}
          hint={t('profile.idNumber.hint')}
          value={entries.idNumber}
          onValue={set('idNumber')}
          onBlur={() => {
            setIdTouched(true);
            const problemNow = entries.idNumber ? idNumberProblem(entries.idNumber) : undefined;
            if (problemNow) setErrors((e) => ({ ...e, idNumber: problemNow }));
          }}
          error={errors.idNumber}
          required
          autocomplete="off"
          spellcheck={false}
          maxLength={18}
        />
        <TextField name="phone" label={labels.phone} hint={t('profile.phone.hint')} value={entries.phone} onValue={set('phone')} error={errors.phone} required type="tel" autocomplete="tel" inputMode="tel" />
        <SelectField
          name="centre"
          label={labels.centre}
          hint={t('profile.centre.hint')}
          value={shownCentre}
          required
          onValue={(code) => {
            setCentre(code);
            set('community')('');
          }}
          prompt={t('profile.centre.choose')}
          options={centres.map((c) => ({ value: c.code, label: named(c.name) }))}
        />
        <SelectField
          name="community"
          label={labels.community}
          value={entries.community}
          error={errors.community}
          required
          disabled={!shownCentre}
          onValue={set('community')}
          prompt={t('profile.community.choose')}
          options={communities.map((m) => ({ value: m.code, label: named(m.name) }))}
        />
        <TextField name="address" label={labels.address} value={entries.address} onValue={set('address')} error={errors.address} autocomplete="street-address" maxLength={200} />
        <SubmitButton busy={busy}>{t('profile.save')}</SubmitButton>
      </form>
    </Page>
  );
}
