/** 8-bit grayscale image operations for the QR search (internal to decodeQrFromRgba). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 4 bytes, row by row, RGBA. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Luma of an RGBA image, averaged over factor × factor blocks to shrink it on the way. */
export function grayscale(image: RgbaImage, factor = 1): GrayImage {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height);
  const src = image.data;
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        let p = ((y * factor + dy) * image.width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, p += 4)
          sum += (src[p]! * 77 + src[p + 1]! * 150 + src[p + 2]! * 29) >> 8;
      }
      data[y * width + x] = Math.round(sum / area);
    }
  }
  return { width, height, data };
}

/** Area-average shrink by an integer factor. */
export function shrink(image: GrayImage, factor: number): GrayImage {
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++)
        for (let dx = 0; dx < factor; dx++)
          sum += image.data[(y * factor + dy) * image.width + x * factor + dx]!;
      data[y * width + x] = Math.round(sum / (factor * factor));
    }
  return { width, height, data };
}

/** Bilinear resize by any factor (used to enlarge small codes). */
export function resize(image: GrayImage, scale: number): GrayImage {
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(image.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(image.width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(image.width - 1, x0 + 1);
      const fx = sx - x0;
      const top =
        image.data[y0 * image.width + x0]! * (1 - fx) + image.data[y0 * image.width + x1]! * fx;
      const bottom =
        image.data[y1 * image.width + x0]! * (1 - fx) + image.data[y1 * image.width + x1]! * fx;
      data[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, data };
}

/** Stretch the 1st..99th percentile to 0..255: restores washed-out, low-contrast photos. */
export function stretchContrast(image: GrayImage): GrayImage {
  const histogram = new Uint32Array(256);
  for (const v of image.data) histogram[v]!++;
  const cut = image.data.length / 100;
  let low = 0;
  for (let n = 0; low < 255 && n + histogram[low]! <= cut; low++) n += histogram[low]!;
  let high = 255;
  for (let n = 0; high > 0 && n + histogram[high]! <= cut; high--) n += histogram[high]!;
  const range = Math.max(1, high - low);
  const data = image.data.map((v) =>
    Math.max(0, Math.min(255, Math.round(((v - low) * 255) / range))),
  );
  return { width: image.width, height: image.height, data };
}

/** 3 × 3 box blur: removes sensor noise before binarisation. */
export function boxBlur(image: GrayImage): GrayImage {
  const { width, height } = image;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          sum += image.data[yy * width + xx]!;
          n++;
        }
      }
      data[y * width + x] = Math.round(sum / n);
    }
  return { width, height, data };
}

/** Light for dark: a code printed light on dark reads as an ordinary one. */
export function invert(image: GrayImage): GrayImage {
  return { width: image.width, height: image.height, data: image.data.map((v) => 255 - v) };
}

/** Gray to the RGBA layout jsQR takes. */
export function toRgba(image: GrayImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, p = 0; i < image.data.length; i++, p += 4) {
    const v = image.data[i]!;
    out[p] = v;
    out[p + 1] = v;
    out[p + 2] = v;
    out[p + 3] = 255;
  }
  return out;
}
