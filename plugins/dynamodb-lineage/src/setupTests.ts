import '@testing-library/jest-dom';

// The first render of a file loads Material UI and the table library; on a
// busy two-core CI machine that alone can take several seconds.
jest.setTimeout(20_000);
