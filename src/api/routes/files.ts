/**
 * GET/HEAD /storage/v1/object/sign/{bucket}/{path}?expires=…&signature=… (and the earlier
 * /files/{bucket}/{path}, until such URLs expire) — the embedded store's objects, for
 * holders of a signed URL (the signature is the authorisation: no bearer token needed, so an
 * <img src> works). Bad or expired signatures are 403, missing objects 404. Served with the stored
 * content type, `nosniff`, a sandboxing CSP, and a private cache lifetime no longer than the URL's.
 */
import express from 'express';
import { NotFoundError } from '../../domain/errors.js';
import type { FileObjectStore } from '../../persistence/embedded/file-store.js';
import { FILES_PREFIX, LEGACY_FILES_PREFIX, type UrlSigner } from '../../persistence/embedded/url-signer.js';
import { HttpError } from '../errors.js';

const REFUSALS = {
  malformed: 'The file URL is not a valid signed URL',
  bad_signature: 'The file URL signature does not match',
  expired: 'The file URL has expired; ask the API for a fresh one',
} as const;

export function createFilesRouter(objects: FileObjectStore, signer: UrlSigner, now: () => number = Date.now): express.Router {
  const router = express.Router();
  const serve = (prefix: string): express.RequestHandler => async (req, res, next) => {
    try {
      const url = new URL(req.originalUrl, 'http://files.invalid');
      const relative = url.pathname.slice(url.pathname.indexOf(prefix) + prefix.length);
      const verdict = signer.verify(relative, url.searchParams);
      if (!verdict.ok) throw new HttpError(403, verdict.reason === 'expired' ? 'url_expired' : 'invalid_signature', REFUSALS[verdict.reason]);
      const object = await objects.get(verdict.ref).catch((err: unknown) => {
        throw err instanceof NotFoundError ? new HttpError(404, 'not_found', 'File not found') : err;
      });
      const secondsLeft = Math.max(0, Math.floor(Number(url.searchParams.get('expires')) - now() / 1000));
      res.setHeader('Content-Type', object.contentType);
      res.setHeader('Content-Length', String(object.bytes.length));
      res.setHeader('Cache-Control', `private, max-age=${Math.min(secondsLeft, 3600)}`);
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      res.end(req.method === 'HEAD' ? undefined : object.bytes);
    } catch (err) {
      next(err);
    }
  };
  router.get(`${FILES_PREFIX}*path`, serve(FILES_PREFIX));
  router.get(`${LEGACY_FILES_PREFIX}*path`, serve(LEGACY_FILES_PREFIX));
  return router;
}
