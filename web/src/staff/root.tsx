// The door from the resident app's router to the staff side: the staff pages are a chunk of their own,
// fetched the first time a staff address is opened, so a resident's first page never carries them.

import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

let loaded: FunctionComponent | undefined;

export function StaffRoot() {
  const [app, setApp] = useState<FunctionComponent | undefined>(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (app) return;
    import('./staff-app.tsx').then(
      (m) => setApp(() => (loaded = m.StaffApp)),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <p role="alert">工作台暂时无法打开，请刷新页面。The staff pages could not be loaded; please reload.</p>;
  if (!app) return <p role="status">正在加载…</p>;
  const App = app;
  return <App />;
}
