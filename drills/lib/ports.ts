/** Free TCP ports on loopback (the tests' helper) and a plain sleep. */
export { freePort } from '../../test/support/ports.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
