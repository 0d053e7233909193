// Starts the app: settings first (so the first paint already has the chosen language and text size), then
// the deployment's config.json, then the page for the address.

import { render } from 'preact';
import { App } from './app.tsx';
import { loadConfig } from './config.ts';
import { applyPrefs } from './prefs.ts';
import { listenToHistory } from './router.ts';
import './styles.css';

applyPrefs();
listenToHistory();
const root = document.getElementById('app')!;
loadConfig().then(
  () => render(<App />, root),
  () => {
    root.textContent = '智慧社区暂时无法打开，请稍后再试。Smart Community cannot start just now; please try again later.';
  },
);
