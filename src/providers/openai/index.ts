/** The OpenAI-compatible providers: any server speaking the OpenAI images and chat-completions APIs. */
export { createOpenAiImageProvider } from './image-provider.js';
export { createOpenAiPaletteProvider } from './palette-provider.js';
export { OPENAI_KEY_VARIABLE, type OpenAiSettings } from './client.js';
