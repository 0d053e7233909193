// One material as a file input: a photo or a PDF; on a phone the camera opens at once (capture), since
// residents photograph their papers rather than look for files. While the file uploads, a progress bar
// says how far it is. useMaterialFiles keeps a form's chosen files, their upload progress and what is wrong
// with a file before it is sent (a type or size the API does not take).

import { useState } from 'preact/hooks';
import { t } from '../i18n.ts';
import { fileRefusal, materialsFrom, type UploadedMaterial } from '../upload.ts';
import { fieldId } from './form.tsx';

const onPhone = () => window.matchMedia('(pointer: coarse)').matches;

type FileFieldProps = { name: string; label: string; file?: File; error?: string; progress?: number; onFile: (file: File | undefined) => void };

export function FileField({ name, label, file, error, progress, onFile }: FileFieldProps) {
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
      {progress !== undefined && (
        <p class="upload-progress">
          <label for={`${id}-progress`}>{progress >= 1 ? t('file.uploaded') : t('file.uploading')}</label>
          <progress id={`${id}-progress`} max={100} value={Math.round(progress * 100)}>
            {Math.round(progress * 100)}%
          </progress>
        </p>
      )}
    </div>
  );
}

/** The files chosen for a form's materials, each one's upload progress, and the upload of the chosen ones. */
export function useMaterialFiles() {
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  const choose = (type: string) => (file: File | undefined) => {
    const refusal = file && fileRefusal(file);
    setErrors(({ [type]: _old, ...rest }) => (refusal ? { ...rest, [type]: t(`file.${refusal}`) } : rest));
    setProgress(({ [type]: _old, ...rest }) => rest);
    setFiles((f) => ({ ...f, [type]: refusal ? undefined : file }));
  };

  const upload = (types: string[]): Promise<UploadedMaterial[]> =>
    materialsFrom(
      types.flatMap((type) => (files[type] ? [{ type, file: files[type]! }] : [])),
      (type, sent, total) => setProgress((p) => ({ ...p, [type]: total ? sent / total : 1 })),
    );

  const field = (type: string, name: string, label: string) => (
    <FileField key={type} name={name} label={label} file={files[type]} error={errors[type]} progress={progress[type]} onFile={choose(type)} />
  );

  return { files, upload, field };
}
