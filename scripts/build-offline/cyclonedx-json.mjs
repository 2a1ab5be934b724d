// A CycloneDX 1.5 JSON SBOM of the single-file build, with the OWASP CycloneDX library's model
// and serializer: no timestamp and no random serial number, so that it is reproducible too.
import { Enums, Models, SPDX, Serialize, Spec } from '@cyclonedx/cyclonedx-library';

/** npm's package URL: the scope's @ is percent-encoded (purl-spec, npm type). */
export function npmPurl(name, version) {
  const [scope, bare] = name.startsWith('@') ? name.split('/') : [undefined, name];
  const ns = scope === undefined ? '' : `${encodeURIComponent(scope)}/`;
  return `pkg:npm/${ns}${encodeURIComponent(bare)}@${encodeURIComponent(version)}`;
}

function licensesOf(license) {
  const repo = new Models.LicenseRepository();
  if (license === undefined) return repo;
  if (SPDX.isSupportedSpdxId(license)) repo.add(new Models.SpdxLicense(license));
  else if (/\s(OR|AND|WITH)\s/.test(license)) repo.add(new Models.LicenseExpression(license));
  else repo.add(new Models.NamedLicense(license));
  return repo;
}

/** npm's integrity (`sha512-<base64>` of the registry tarball) as a CycloneDX hash. */
function hashesOf(integrity) {
  const hashes = new Models.HashDictionary();
  const match = /^sha512-([A-Za-z0-9+/=]+)$/.exec(integrity ?? '');
  if (match !== null)
    hashes.set(Enums.HashAlgorithm['SHA-512'], Buffer.from(match[1], 'base64').toString('hex'));
  return hashes;
}

/**
 * @param {{ name: string, version: string, license: string, fileName: string, sha256: string,
 *   components: import('./bundled-components.mjs').BundledComponent[] }} build
 */
export function cycloneDxJson(build) {
  const app = new Models.Component(Enums.ComponentType.Application, build.name, {
    bomRef: `${build.name}@${build.version}`,
    version: build.version,
    licenses: licensesOf(build.license),
    description: `${build.fileName}: the single-file air-gapped ceremony tool`,
  });
  app.hashes.set(Enums.HashAlgorithm['SHA-256'], build.sha256);
  const bom = new Models.Bom({ version: 1 });
  bom.metadata.component = app;
  for (const c of build.components) {
    // Workspace packages are this repository's own code and are not published: no npm purl.
    const purl = c.workspace ? undefined : npmPurl(c.name, c.version);
    const component = new Models.Component(Enums.ComponentType.Library, c.name, {
      bomRef: purl ?? `${c.name}@${c.version}`,
      version: c.version,
      licenses: licensesOf(c.license),
      hashes: hashesOf(c.integrity),
      ...(purl === undefined ? {} : { purl }),
    });
    for (const dir of c.dirs)
      component.properties.add(
        new Models.Property('byok:source', c.workspace ? `workspace ${dir}` : dir),
      );
    for (const f of c.files)
      component.properties.add(
        new Models.Property(
          'byok:bundled-file',
          `${f.path} sha256:${f.sha256}${f.patched === undefined ? '' : ` (patched at build: ${f.patched})`}`,
        ),
      );
    bom.components.add(component);
    app.dependencies.add(component.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(
    new Serialize.JSON.Normalize.Factory(Spec.Spec1dot5),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
