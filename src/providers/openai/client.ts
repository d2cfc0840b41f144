/** The OpenAI-compatible HTTP client: `Authorization: Bearer`, paths under `{baseUrl}/v1` (never `/v1/v1`). */
import { createHttpClient, versionedApiRoot, type HttpClient, type HttpProviderSettings } from '../http/client.js';

export interface OpenAiSettings extends HttpProviderSettings {
  /** e.g. `gpt-image-1`, `dall-e-3`, or a self-hosted server's model name. */
  imageModel: string;
  /** e.g. `gpt-4o-mini`; must support `response_format: {type: 'json_object'}`. */
  chatModel: string;
}

export const OPENAI_KEY_VARIABLE = 'OPENAI_API_KEY';

export function createOpenAiClient(settings: OpenAiSettings): HttpClient {
  return createHttpClient({
    name: 'OpenAI-compatible API',
    keyVariable: OPENAI_KEY_VARIABLE,
    apiRoot: versionedApiRoot(settings.baseUrl),
    headers: { authorization: `Bearer ${settings.apiKey}` },
    timeoutMs: settings.timeoutMs,
    fetch: settings.fetch,
  });
}
