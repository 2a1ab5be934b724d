// proper-lockfile as an ES module, so that the audit log loads it with import() only when it
// appends (bundled, a dynamic import() of the CommonJS package itself would give only a default).
export { lock } from 'proper-lockfile';
