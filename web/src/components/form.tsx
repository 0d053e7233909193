// Form parts that follow the GOV.UK pattern: each field has a visible label, its hint and its error tied to
// it (aria-describedby), and a failed submit puts an error summary at the top that takes focus and links
// to each field in error. Server errors arrive as problem+json `errors[].path` and land on the same fields.

import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiProblem } from '../api/problem.ts';
import { t } from '../i18n.ts';

/** Field name → the message shown beside it. */
export type FieldErrors = Record<string, string>;

export const fieldId = (name: string) => `field-${name.replace(/\./g, '-')}`;

/** The field errors of a 400/422 answer, by the path the API names (`idNumber`, `materials.0.type`). */
export function serverFieldErrors(error: unknown, translate: (path: string, message: string) => string = (_, m) => m): FieldErrors {
  if (!(error instanceof ApiProblem)) return {};
  return Object.fromEntries(error.errors.filter((e) => e.path).map((e) => [e.path, translate(e.path, e.message)]));
}

export function ErrorSummary({ errors, labels }: { errors: FieldErrors; labels: Record<string, string> }) {
  const box = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors);
  useEffect(() => {
    if (entries.length > 0) box.current?.focus();
  }, [JSON.stringify(errors)]);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" ref={box} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{t('form.errorSummary', { count: entries.length })}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li key={name}>
            <a
              href={`#${fieldId(name)}`}
              onClick={(event) => {
                // Focus the field itself, not only scroll to it, so typing can start at once.
                event.preventDefault();
                document.getElementById(fieldId(name))?.focus();
              }}
            >
              {labels[name] ? `${labels[name]}：${message}` : message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = { name: string; label: string; error?: string; hint?: string; required?: boolean };
type ControlProps = { id: string; name: string; required?: boolean; 'aria-invalid'?: 'true'; 'aria-describedby'?: string };

/** A field's frame: its label (marked optional unless required), hint and error, and what ties them to the control. */
function Field({ name, label, error, hint, required, control }: FieldProps & { control: (props: ControlProps) => ComponentChildren }) {
  const id = fieldId(name);
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {label}
        {required ? null : <span class="optional">{t('form.optional')}</span>}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {control({ id, name, required, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described || undefined })}
    </div>
  );
}

type TextFieldProps = FieldProps & {
  value: string;
  onValue: (value: string) => void;
  onBlur?: () => void;
} & Pick<JSX.InputHTMLAttributes<HTMLInputElement>, 'type' | 'autocomplete' | 'inputMode' | 'maxLength' | 'spellcheck'>;

export function TextField({ name, label, value, onValue, onBlur, error, hint, required, ...input }: TextFieldProps) {
  return (
    <Field
      {...{ name, label, error, hint, required }}
      control={(props) => <input {...props} value={value} onInput={(event) => onValue(event.currentTarget.value)} onBlur={onBlur} {...input} />}
    />
  );
}

type SelectFieldProps = FieldProps & {
  value: string;
  onValue: (value: string) => void;
  /** The first option, with the value '': what to choose. */
  prompt: string;
  options: { value: string; label: string }[];
  disabled?: boolean;
};

export function SelectField({ name, label, value, onValue, error, hint, required, prompt, options, disabled }: SelectFieldProps) {
  return (
    <Field
      {...{ name, label, error, hint, required }}
      control={(props) => (
        <select {...props} value={value} disabled={disabled} onChange={(event) => onValue(event.currentTarget.value)}>
          <option value="">{prompt}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
      {busy ? t('form.sending') : children}
    </button>
  );
}
