import { ENV_OVERRIDES } from '../../src/config/load.js';

/**
 * vitest setupFiles: the tests' configs are the whole truth. A developer's shell often holds
 * ABS_URL, ABS_API_KEY, … for their own server; loadConfig lets those override the file, so a test
 * would talk to (or fail against) the developer's ABS. Every variable loadConfig reads is removed
 * from this worker's environment, and from the processes tests start with `...process.env`.
 * A test that means to use one passes it explicitly (`loadConfig({ env })`, a child's `env`).
 */
for (const name of Object.keys(ENV_OVERRIDES)) delete process.env[name];
