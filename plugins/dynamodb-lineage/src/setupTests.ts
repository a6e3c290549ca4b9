import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The first render of a file loads Material UI and the table library; on a
// busy two-core CI machine that alone can take several seconds.
jest.setTimeout(20_000);
// `findBy…` and `waitFor` wait on a condition; give it the same room before
// they give up (they return as soon as the condition holds).
configure({ asyncUtilTimeout: 10_000 });
