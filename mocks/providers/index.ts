/** Fixture-backed mocks of every metadata provider: msw handlers and a real local server. */
export { customProviderHandlers, providerHandlers, UPSTREAMS } from './handlers.js';
export type { MockRequest, MockResponse } from './routes.js';
export { MOCK_CUSTOM_AUTH, MOCK_HARDCOVER_TOKEN } from './routes-more.js';
export { type MockProviderServer, startMockProviderServer } from './server.js';
