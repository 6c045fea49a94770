import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material UI forms and tables render slowly on the shared 2-core CI machine: allow
// async queries 5 s and tests 60 s instead of 1 s and 5 s. A form test that types into
// several fields takes 10-20 s there under a load of 10 or more (measured), so 20 s
// timed out now and then; the timeout only bounds a hung test, no assertion waits on it.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(60_000);
