// Renders public/icon.svg into the app icons the root layout and the web manifest name: PNGs for
// Android/PWA (192, 512) and iOS (180), and favicon.ico (a 32 px and a 16 px PNG in an ICO
// container, which every browser reads). Run after changing the SVG: `npm exec -c 'node scripts/make-icons.ts'`.
import { readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";

const svg = readFileSync("public/icon.svg");
const png = (size: number) =>
  sharp(svg, { density: 72 * (size / 64) * 2 })
    .resize(size, size)
    .png()
    .toBuffer();

for (const [name, size] of [
  ["icon-192.png", 192],
  ["icon-512.png", 512],
  ["apple-touch-icon.png", 180],
] as const) {
  writeFileSync(`public/${name}`, await png(size));
}

// ICO: a 6-byte header, a 16-byte entry per image, then the PNG images themselves.
const images = await Promise.all([32, 16].map(async (size) => ({ size, data: await png(size) })));
const header = Buffer.alloc(6);
header.writeUInt16LE(0, 0); // reserved
header.writeUInt16LE(1, 2); // type: icon
header.writeUInt16LE(images.length, 4);
let offset = 6 + 16 * images.length;
const entries = images.map(({ size, data }) => {
  const entry = Buffer.alloc(16);
  entry.writeUInt8(size, 0);
  entry.writeUInt8(size, 1);
  entry.writeUInt8(0, 2); // no palette
  entry.writeUInt8(0, 3);
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(data.length, 8);
  entry.writeUInt32LE(offset, 12);
  offset += data.length;
  return entry;
});
writeFileSync("public/favicon.ico", Buffer.concat([header, ...entries, ...images.map((i) => i.data)]));
