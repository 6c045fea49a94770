import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material UI tables render slowly on the shared 2-core CI machine; wait longer than 1 s.
configure({ asyncUtilTimeout: 5000 });
