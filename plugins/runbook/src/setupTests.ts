import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material UI forms and tables render slowly on the shared 2-core CI machine: allow
// async queries 5 s and tests 20 s instead of 1 s and 5 s.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(20_000);
