// A page fetched the first time it is opened, so the first page's script stays small (the bench's webJsKBgz):
// pages a resident opens rarely live in chunks of their own. Until the chunk arrives the page says it is loading.

import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './components/page.tsx';

export function lazyPage<P extends object>(load: () => Promise<FunctionComponent<P>>): FunctionComponent<P> {
  let loaded: FunctionComponent<P> | undefined;
  return function LazyPage(props: P) {
    const [Component, setComponent] = useState<FunctionComponent<P> | undefined>(() => loaded);
    useEffect(() => {
      if (!Component) void load().then((component) => setComponent(() => (loaded = component)));
    }, []);
    return Component ? <Component {...props} /> : <Loading />;
  };
}
