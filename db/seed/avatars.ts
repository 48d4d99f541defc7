// A distinct picture per staff member: initials on a coloured gradient, as a PNG "upload" in the
// blob store. The avatar job (worker) turns each into the 64/128 px webp files the UI shows.
import sharp from "sharp";
import type { BlobStore } from "../../lib/storage/index.ts";
import { avatarSourceKey } from "./catalog.ts";

const SIZE = 256;

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}

function avatarSvg(name: string, index: number): string {
  // Golden-angle hues keep neighbouring users' colours far apart.
  const hue = Math.round((index * 137.508) % 360);
  const text = initials(name).replace(/[<>&"']/g, "");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="hsl(${hue}, 62%, 52%)"/>
    <stop offset="1" stop-color="hsl(${(hue + 40) % 360}, 58%, 38%)"/>
  </linearGradient></defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#g)"/>
  <text x="50%" y="50%" dy="0.35em" text-anchor="middle" font-family="DejaVu Sans, Liberation Sans, sans-serif"
    font-size="104" font-weight="bold" fill="#ffffff">${text}</text>
</svg>`;
}

export async function writeAvatars(blobs: BlobStore, users: { id: string; name: string }[]): Promise<void> {
  await Promise.all(
    users.map(async (u, index) => {
      const png = await sharp(Buffer.from(avatarSvg(u.name, index)))
        .png()
        .toBuffer();
      await blobs.put(avatarSourceKey(u.id), png);
    }),
  );
}
