/** The workflow bundle the worker loads: workflow functions and their message definitions only. */
export { generateConcept } from './generate-concept.js';
export { refineConcept } from './refine-concept.js';
export { getProgressQuery } from './messages.js';
