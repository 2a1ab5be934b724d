import { escapeHtml, type QrPayloadKind } from '@byok-ceremony/shared';
import { encodeQrPng } from './qr-png.js';
import { renderQrMatrix, type QrMatrix } from './qr-matrix.js';

export interface QrHtmlPlayerOptions {
  /** What the frames carry; it names the page. */
  readonly kind: QrPayloadKind;
  /** How many of the frames are pure; the rest are mixed, shown after them. */
  readonly pureFrames?: number;
  /** Milliseconds each frame stays on screen. */
  readonly intervalMs?: number;
}

/** The page titles: fixed text, so no caller can put a check code or digest on the page. */
const TITLES: Readonly<Record<QrPayloadKind, string>> = {
  'import-request': 'byok import request: QR frames',
  'wrapped-keys': 'byok wrapped keys: QR frames',
};

/**
 * A self-contained page that plays the pure frames, then the mixed ones, then loops: images inline as data: URLs, a CSP that
 * forbids any network load, a frame counter, and pause/step controls (space, ←, →), so a
 * missing frame can be held on screen. Opens from file://. It carries no check code: the
 * operators read that off the screen of the command that wrote the bundle, so whoever
 * replaces this file cannot replace the code with it.
 */
export function renderQrHtmlPlayer(
  frameTexts: readonly string[],
  options: QrHtmlPlayerOptions,
  /** The frames' QR symbols, when the caller has rendered them already (one per frame text). */
  matrices: readonly QrMatrix[] = frameTexts.map(renderQrMatrix),
): string {
  const images = matrices.map(
    (matrix) =>
      `data:image/png;base64,${encodeQrPng(matrix, { scale: 1, margin: 4 }).toString('base64')}`,
  );
  const interval = Math.max(100, Math.round(options.intervalMs ?? 500));
  const title = escapeHtml(TITLES[options.kind]);
  const pure = Math.min(options.pureFrames ?? frameTexts.length, frameTexts.length);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { margin: 0; background: #fff; color: #000; font: 16px/1.4 system-ui, sans-serif; text-align: center; }
#qr { width: min(92vw, calc(100vh - 9em)); height: auto; image-rendering: pixelated; display: block; margin: 0.5em auto; }
#bar { font-size: 1.25em; }
button { font-size: 1em; margin: 0 0.25em; }
p { margin: 0.2em; }
</style>
</head>
<body>
<img id="qr" alt="QR frame">
<div id="bar"><button id="prev" title="previous (←)">◀</button><button id="play" title="pause / play (space)">pause</button><button id="next" title="next (→)">▶</button> <span id="counter"></span>
<label>ms/frame <input id="speed" type="number" min="100" step="100" value="${interval}" style="width:5em"></label></div>
<p><strong>${title}</strong></p>
<script>
"use strict";
const frames = ${JSON.stringify(images)}, pure = ${pure};
let at = 0, playing = true, timer = 0;
const img = document.getElementById("qr"), counter = document.getElementById("counter");
const play = document.getElementById("play"), speed = document.getElementById("speed");
function show(i) { at = (i + frames.length) % frames.length; img.src = frames[at]; counter.textContent = at < pure ? "frame " + (at + 1) + " / " + pure : "frame " + (at + 1) + " (mixed, of " + pure + ")"; }
function schedule() { clearTimeout(timer); if (playing && frames.length > 1) timer = setTimeout(() => { show(at + 1); schedule(); }, Math.max(100, Number(speed.value) || ${interval})); }
function toggle() { playing = !playing; play.textContent = playing ? "pause" : "play"; schedule(); }
function step(d) { playing = false; play.textContent = "play"; clearTimeout(timer); show(at + d); }
play.onclick = toggle;
document.getElementById("prev").onclick = () => step(-1);
document.getElementById("next").onclick = () => step(1);
speed.onchange = schedule;
document.onkeydown = (e) => { if (e.key === " ") { e.preventDefault(); toggle(); } else if (e.key === "ArrowLeft") step(-1); else if (e.key === "ArrowRight") step(1); };
show(0); schedule();
</script>
</body>
</html>
`;
}
