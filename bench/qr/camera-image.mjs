// Camera-like renderings of a QR matrix into a 1280×720 grayscale frame: placement, rotation,
// perspective, blur, noise, contrast, clutter. Deterministic for a given PRNG.
export const WIDTH = 1280;
export const HEIGHT = 720;

/** Homography mapping the unit square's corners to four points (x0,y0)…(x3,y3), clockwise from top-left. */
function squareToQuad([p0, p1, p2, p3]) {
  const [x0, y0] = p0;
  const [x1, y1] = p1;
  const [x2, y2] = p2;
  const [x3, y3] = p3;
  const dx1 = x1 - x2,
    dx2 = x3 - x2,
    dx3 = x0 - x1 + x2 - x3;
  const dy1 = y1 - y2,
    dy2 = y3 - y2,
    dy3 = y0 - y1 + y2 - y3;
  const det = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / det;
  const h = (dx1 * dy3 - dx3 * dy1) / det;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert3([a, b, c, d, e, f, g, h, i]) {
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A,
    -(b * i - c * h),
    b * f - c * e,
    B,
    a * i - c * g,
    -(a * f - c * d),
    C,
    -(a * h - b * g),
    a * e - b * d,
  ].map((v) => v / det);
}

/** A gray (Float32) frame of clutter or plain light background. */
export function background(random, cluttered) {
  const img = new Float32Array(WIDTH * HEIGHT);
  const base = 170 + random() * 60;
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++)
      img[y * WIDTH + x] = base - 30 * (y / HEIGHT) + 15 * (x / WIDTH);
  if (!cluttered) return img;
  // Rectangles, bars and small square "text" blobs of random gray: edges that look like finder patterns.
  for (let n = 0; n < 260; n++) {
    const w = 4 + Math.floor(random() * (n < 40 ? 300 : 40));
    const h = 4 + Math.floor(random() * (n < 40 ? 200 : 40));
    const x0 = Math.floor(random() * WIDTH),
      y0 = Math.floor(random() * HEIGHT);
    const v = random() * 255;
    for (let y = y0; y < Math.min(HEIGHT, y0 + h); y++)
      for (let x = x0; x < Math.min(WIDTH, x0 + w); x++) img[y * WIDTH + x] = v;
  }
  return img;
}

/**
 * Draw the QR (with a 4-module white quiet zone) onto `img` so that its outer square lands on
 * `quad`, sampling modules with 2×2 supersampling.
 */
export function drawQr(img, matrix, quad) {
  const side = matrix.size + 8;
  const inv = invert3(squareToQuad(quad));
  const xs = quad.map((p) => p[0]),
    ys = quad.map((p) => p[1]);
  const minX = Math.max(0, Math.floor(Math.min(...xs))),
    maxX = Math.min(WIDTH - 1, Math.ceil(Math.max(...xs)));
  const minY = Math.max(0, Math.floor(Math.min(...ys))),
    maxY = Math.min(HEIGHT - 1, Math.ceil(Math.max(...ys)));
  for (let y = minY; y <= maxY; y++)
    for (let x = minX; x <= maxX; x++) {
      let sum = 0,
        hits = 0;
      for (const [ox, oy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ]) {
        const px = x + ox,
          py = y + oy;
        const w = inv[6] * px + inv[7] * py + inv[8];
        const u = (inv[0] * px + inv[1] * py + inv[2]) / w;
        const v = (inv[3] * px + inv[4] * py + inv[5]) / w;
        if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
        hits++;
        const mx = Math.floor(u * side) - 4,
          my = Math.floor(v * side) - 4;
        const dark =
          mx >= 0 &&
          my >= 0 &&
          mx < matrix.size &&
          my < matrix.size &&
          matrix.modules[my * matrix.size + mx] === 1;
        sum += dark ? 25 : 235;
      }
      if (hits > 0) img[y * WIDTH + x] = (img[y * WIDTH + x] * (4 - hits) + sum) / 4;
    }
}

/** A square of side `size` centred at (cx, cy), rotated by `angle` radians. */
export function square(cx, cy, size, angle) {
  const c = Math.cos(angle),
    s = Math.sin(angle),
    r = size / 2;
  return [
    [-r, -r],
    [r, -r],
    [r, r],
    [-r, r],
  ].map(([x, y]) => [cx + x * c - y * s, cy + x * s + y * c]);
}

export function boxBlur(img, radius) {
  if (radius <= 0) return img;
  const tmp = new Float32Array(img.length),
    out = new Float32Array(img.length);
  const n = 2 * radius + 1;
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++)
        s += img[y * WIDTH + Math.min(WIDTH - 1, Math.max(0, x + k))];
      tmp[y * WIDTH + x] = s / n;
    }
  for (let y = 0; y < HEIGHT; y++)
    for (let x = 0; x < WIDTH; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++)
        s += tmp[Math.min(HEIGHT - 1, Math.max(0, y + k)) * WIDTH + x];
      out[y * WIDTH + x] = s / n;
    }
  return out;
}

export function addNoise(img, random, sigma) {
  for (let i = 0; i < img.length; i++) {
    const g = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
    img[i] += g * sigma;
  }
}

export function compressContrast(img, low, high) {
  for (let i = 0; i < img.length; i++)
    img[i] = low + (Math.max(0, Math.min(255, img[i])) / 255) * (high - low);
}

/** Gray float frame to an RGBA buffer (slightly warm tint, as webcams give). */
export function toRgba(img) {
  const out = Buffer.alloc(WIDTH * HEIGHT * 4);
  for (let i = 0, p = 0; i < img.length; i++, p += 4) {
    const v = Math.max(0, Math.min(255, Math.round(img[i])));
    out[p] = Math.min(255, v + 6);
    out[p + 1] = v;
    out[p + 2] = Math.max(0, v - 8);
    out[p + 3] = 255;
  }
  return out;
}
