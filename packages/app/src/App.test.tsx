import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the sign-in page with the guest provider', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test', baseUrl: 'http://localhost:3000' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    // The whole app loads first: on a busy machine that takes seconds. The
    // bound is a ceiling for a hung render, not a speed expectation.
    expect(
      await rendered.findByText(
        /Enter as a Guest User/,
        {},
        { timeout: 50_000 },
      ),
    ).toBeInTheDocument();
  }, 60_000);
});
