// A case's material shown inline, to staff at the approval queue and to the resident on their case page:
// GET /cases/{id}/materials/{type} with the session's token answers 302 to a short-lived URL, which fetch
// follows; the bytes are shown from a blob: URL (an image as an image, a PDF in a frame with the browser's
// viewer) and let go when the viewer closes. The two apps have their own words: the caller passes them.

import { useEffect, useState } from 'preact/hooks';
import { pathOf } from '../api/path.ts';
import { ApiProblem, NetworkFailure } from '../api/problem.ts';
import { currentSession } from '../auth/session.ts';
import { ProblemMessage } from './problem.tsx';
import { config } from '../config.ts';

async function fetchMaterial(caseId: string, type: string): Promise<Blob> {
  const session = currentSession();
  let res: Response;
  try {
    res = await fetch(`${config().apiUrl}${pathOf('GET /cases/{id}/materials/{type}', { id: caseId, type })}`, {
      headers: session ? { authorization: `Bearer ${session.token}` } : {},
    });
  } catch {
    throw new NetworkFailure('material: no answer');
  }
  if (!res.ok) throw new ApiProblem(res.status, res.status === 404 ? 'not_found' : 'unknown', '');
  return res.blob();
}

type Props = { caseId: string; type: string; label: string; words: { loading: string; openFull: string } };

export function MaterialViewer({ caseId, type, label, words }: Props) {
  const [file, setFile] = useState<{ url: string; contentType: string }>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let url: string | undefined;
    let current = true;
    fetchMaterial(caseId, type).then(
      (blob) => {
        if (!current) return;
        url = URL.createObjectURL(blob);
        setFile({ url, contentType: blob.type });
      },
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [caseId, type]);
  if (error) return <ProblemMessage error={error} />;
  if (!file) return <p role="status">{words.loading}</p>;
  return (
    <figure class="material-view" data-content-type={file.contentType}>
      {file.contentType === 'application/pdf' ? (
        <iframe src={file.url} title={label} class="material-pdf" />
      ) : (
        <img src={file.url} alt={label} class="material-image" />
      )}
      <figcaption>
        <a href={file.url} target="_blank" rel="noopener">
          {words.openFull}
        </a>
      </figcaption>
    </figure>
  );
}
