// Runs in every test file: temp folders are removed once they are no longer needed.
import { afterAll, afterEach, beforeEach } from 'vitest';
import { enterTest, removeTempDirs } from './temp.ts';

beforeEach(() => enterTest());
afterEach(() => removeTempDirs('test'));
afterAll(() => removeTempDirs('file'));
