import { bundleFromQrTransfer, type AssembledTransfer } from '@byok-ceremony/shared';
import { FactsBuilder, type Ceremony, type OutputWriter } from '@byok-ceremony/node-io';
import { nodeWrappingKeyFingerprint } from '@byok-ceremony/node-io/key-material';
import { describeRequest, type RequestSummary } from './describe-request.js';

export interface ScanCeremonyPorts {
  /** The import request's QR transfer, from image files or a camera. */
  readonly readTransfer: () => Promise<AssembledTransfer>;
  readonly writer: OutputWriter;
  readonly now: () => Date;
}

export interface ScanCeremonyResult {
  readonly frames: number;
  readonly summary: RequestSummary;
}

/**
 * `scan`: the import request from QR frames, written as a file. Nothing it records or returns is
 * the bundle's digest or check code: this machine has not confirmed them yet (wrap does).
 */
export async function scanCeremony(
  out: string,
  ports: ScanCeremonyPorts,
): Promise<Ceremony<ScanCeremonyResult>> {
  const facts = new FactsBuilder();
  return facts.run(async () => {
    await ports.writer.assertWritable(out);
    const transfer = await ports.readTransfer();
    // The transport on record: the same SHA-256 prepare logged for the frames it showed.
    facts.add({ inputs: { qrTransfer: transfer.sha256 } });
    const request = bundleFromQrTransfer(transfer, 'import-request');
    facts.add({ peerLogHead: request.auditLogHead });
    const keys = request.targets.map((t) => ({
      keyArn: t.keyArn,
      keySpec: t.keySpec,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: nodeWrappingKeyFingerprint(Buffer.from(t.publicKey, 'base64')),
      parametersValidTo: t.parametersValidTo,
    }));
    facts.add({ keys });
    const text = `${JSON.stringify(request, null, 2)}\n`;
    await ports.writer.write(out, text, 0o644);
    facts.output('requestFile', text);
    const fingerprints = keys.map((k) => k.wrappingKeyFingerprint);
    return {
      frames: transfer.frames,
      summary: describeRequest(request, ports.now(), fingerprints),
    };
  });
}
