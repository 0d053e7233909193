// One material as a file input: a photo or a PDF; on a phone the camera opens at once (capture), since
// residents photograph their papers rather than look for files.

import { t } from '../i18n.ts';
import { fieldId } from './form.tsx';

const onPhone = () => window.matchMedia('(pointer: coarse)').matches;

type FileFieldProps = { name: string; label: string; file?: File; error?: string; onFile: (file: File | undefined) => void };

export function FileField({ name, label, file, error, onFile }: FileFieldProps) {
  const id = fieldId(name);
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {file ? t('file.chosen', { name: file.name }) : t('file.hint')}
      </p>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <input
        id={id}
        name={name}
        type="file"
        accept="image/*,application/pdf"
        capture={onPhone() ? 'environment' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={error ? 'true' : undefined}
        onChange={(event) => onFile(event.currentTarget.files?.[0])}
      />
    </div>
  );
}
