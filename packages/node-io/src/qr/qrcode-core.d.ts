// The pure encoder inside `qrcode`, without its Node and canvas front ends (@types/qrcode pulls in Node's types).
declare module 'qrcode/lib/core/qrcode.js' {
  export function create(
    data: readonly { data: string; mode: 'alphanumeric' | 'byte' }[],
    options: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H'; version?: number },
  ): { version: number; modules: { size: number; data: Uint8Array } };
}
