import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The first render of a file loads Material UI and the table library, and a
// table test drives a thousand rows: on a busy two-core machine running other
// suites beside it, one test can take most of a minute.
jest.setTimeout(60_000);
// `findBy…` and `waitFor` wait on a condition; give it the same room before
// they give up (they return as soon as the condition holds).
configure({ asyncUtilTimeout: 10_000 });
