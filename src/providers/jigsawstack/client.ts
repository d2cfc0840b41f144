/** The JigsawStack HTTP client: `x-api-key` on every API call, paths under `{baseUrl}/v1`. */
import { createHttpClient, versionedApiRoot, type HttpClient, type HttpProviderSettings } from '../http/client.js';

export type JigsawStackSettings = HttpProviderSettings;

export const JIGSAWSTACK_KEY_VARIABLE = 'JIGSAWSTACK_API_KEY';

export function createJigsawStackClient(settings: JigsawStackSettings): HttpClient {
  return createHttpClient({
    name: 'JigsawStack',
    keyVariable: JIGSAWSTACK_KEY_VARIABLE,
    apiRoot: versionedApiRoot(settings.baseUrl),
    headers: { 'x-api-key': settings.apiKey },
    timeoutMs: settings.timeoutMs,
    fetch: settings.fetch,
  });
}
