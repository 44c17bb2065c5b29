import { render } from 'ink-testing-library';
import { it } from 'vitest';
import { App } from '../../views/App';
import { createViewStore, feedIncident, RecordingCommands, nextTick } from './fixtures';

it('smoke', async () => {
  const store = createViewStore();
  feedIncident(store);
  const app = render(<App store={store} commands={new RecordingCommands()} width={120} height={40} />);
  await nextTick();
  console.log(app.lastFrame());
  const small = render(<App store={store} commands={new RecordingCommands()} width={80} height={24} />);
  await nextTick();
  console.log(small.lastFrame());
  const ascii = render(<App store={store} commands={new RecordingCommands()} width={80} height={24} ascii />);
  await nextTick();
  console.log(ascii.lastFrame());
});
