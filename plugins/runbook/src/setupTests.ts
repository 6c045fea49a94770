import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material UI forms and tables render slowly on the shared 2-core CI machine: allow
// async queries 15 s and tests 60 s instead of 1 s and 5 s. Under a load of 10-15
// (measured) a form test that types into several fields takes 10-20 s, and the first
// lazily loaded tab of a suite took over 5 s to appear. Both only bound a wait: a query
// that succeeds returns at once.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
