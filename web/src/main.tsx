import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) {
  // The placeholder (shown while the script loads, or when it cannot run) makes way for the app.
  root.textContent = '';
  render(<App />, root);
}
