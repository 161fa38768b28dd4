// Draws the two Teams app icons (a white house) and writes them as PNG files into appPackage/.
// Run once after changing the design: `npx tsx scripts/make-icons.ts`. The PNGs are committed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** Deep green of the color icon; the manifest's accentColor uses the same value. */
export const BRAND_GREEN = { r: 0x1b, g: 0x5e, b: 0x4a } as const;

interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** An 8-bit RGBA image, row by row, 4 bytes a pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  pixels: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** Encodes RGBA pixels as a PNG (colour type 6, bit depth 8, no interlace, filter 0 on every row). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height * 4) {
    throw new Error(`expected ${width * height * 4} bytes of pixels, got ${pixels.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method: adaptive (we always pick filter type 0)
  header[12] = 0; // no interlace

  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1) {
    raw[y * (stride + 1)] = 0;
    pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The house, in unit coordinates (0..1, y pointing down): a roof triangle over a body, a chimney, and a
 * door cut out of the body. Kept simple so it still reads as a house at 32×32 pixels.
 */
function insideHouse(x: number, y: number): boolean {
  const apexX = 0.5;
  const apexY = 0.16;
  const eaveY = 0.5;
  const eaveHalfWidth = 0.36;
  const inRoof = y >= apexY && y <= eaveY && Math.abs(x - apexX) <= ((y - apexY) / (eaveY - apexY)) * eaveHalfWidth;
  const inBody = x >= 0.24 && x <= 0.76 && y >= eaveY - 0.01 && y <= 0.84;
  const inChimney = x >= 0.62 && x <= 0.72 && y >= 0.22 && y <= 0.4;
  const inDoor = x >= 0.43 && x <= 0.57 && y >= 0.62 && y <= 0.84;
  return (inRoof || inBody || inChimney) && !inDoor;
}

/** Renders the house over a background, with 4×4 supersampling so edges stay smooth. */
function drawHouse(size: number, background: Rgba, foreground: Omit<Rgba, 'a'>): RgbaImage {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (insideHouse(x, y)) hits += 1;
        }
      }
      const coverage = hits / (samples * samples);
      const offset = (py * size + px) * 4;
      if (background.a === 0) {
        // Transparent background: keep the colour pure white and put the coverage in alpha only,
        // so the outline icon never contains a grey or tinted pixel.
        pixels[offset] = coverage > 0 ? foreground.r : 0;
        pixels[offset + 1] = coverage > 0 ? foreground.g : 0;
        pixels[offset + 2] = coverage > 0 ? foreground.b : 0;
        pixels[offset + 3] = Math.round(coverage * 255);
      } else {
        const mix = (front: number, back: number): number => Math.round(front * coverage + back * (1 - coverage));
        pixels[offset] = mix(foreground.r, background.r);
        pixels[offset + 1] = mix(foreground.g, background.g);
        pixels[offset + 2] = mix(foreground.b, background.b);
        pixels[offset + 3] = background.a;
      }
    }
  }
  return { width: size, height: size, pixels };
}

const WHITE = { r: 255, g: 255, b: 255 } as const;

/** The 192×192 full-colour icon: white house on the brand green. */
export function colorIcon(): Buffer {
  return encodePng(drawHouse(192, { ...BRAND_GREEN, a: 255 }, WHITE));
}

/** The 32×32 outline icon: white house on a fully transparent background. */
export function outlineIcon(): Buffer {
  return encodePng(drawHouse(32, { r: 0, g: 0, b: 0, a: 0 }, WHITE));
}

if (require.main === module) {
  const dir = join(__dirname, '..', 'appPackage');
  writeFileSync(join(dir, 'color.png'), colorIcon());
  writeFileSync(join(dir, 'outline.png'), outlineIcon());
  console.log(`Wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}
